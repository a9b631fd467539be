/**
 * `hearth schema export|diff|apply`: the collections as a file kept in git. `diff` prints the
 * plan (destructive steps marked); `apply` runs it in one transaction and asks before destructive
 * steps unless --yes (without a terminal to ask on, it refuses with exit code 3).
 */
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { applySchema, exportSchema, planSchema, schemaToJson, schemaToTs, type PlanStep } from '@hearth/server';
import { CliError, EXIT, colors, emit, info, out } from '../output.ts';
import { liveSchema, readSchemaFile } from '../schema-source.ts';
import { api, remoteOf, withDataDir, withTarget, type TargetOptions } from '../target.ts';

const SYMBOL: Record<string, string> = { create: '+', add: '+', drop: '-', rename: '~', change: '~' };

function printPlan(steps: PlanStep[]): void {
  if (steps.length === 0) return out(colors.dim('No changes: the schema matches the file.'));
  for (const s of steps) {
    const verb = s.kind.split('-')[0]!;
    const mark = SYMBOL[verb] ?? '~';
    const line = `${mark} ${colors.bold(s.collection)}: ${s.detail}`;
    out(s.destructive ? colors.red(`${line}  [destructive]`) : verb === 'create' || verb === 'add' ? colors.green(line) : colors.yellow(line));
  }
  const destructive = steps.filter((s) => s.destructive).length;
  out(colors.dim(`${steps.length} step(s), ${destructive} destructive.`));
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export function schemaCommand(): Command {
  const cmd = new Command('schema').description('Schema as code: export, diff and apply collection definitions').addHelpText(
    'after',
    `
Examples:
  $ hearth schema export schema.json          # or --ts for a typed defineSchema({...}) module
  $ hearth schema diff schema.json            # what apply would change
  $ hearth schema apply schema.json --yes     # apply, including drops
  $ hearth schema apply schema.ts --url http://127.0.0.1:8090`,
  );

  withTarget(cmd.command('export').description('Write the collections to FILE (default stdout)').argument('[file]'))
    .option('--ts', 'a TypeScript module: export default defineSchema({...})')
    .action(async (file: string | undefined, o: TargetOptions & { ts?: boolean }) => {
      const remote = remoteOf(o);
      const doc = remote ? await liveSchema(o, remote) : await withDataDir(o, (d) => exportSchema(d.collections.list()));
      const text = o.ts ? schemaToTs(doc) : schemaToJson(doc);
      if (!file || file === '-') return void process.stdout.write(text);
      writeFileSync(file, text);
      emit(o.json, { file, collections: doc.collections.length }, () => info(`Wrote ${doc.collections.length} collections to ${file}.`));
    });

  withTarget(cmd.command('diff').description('Print the plan that apply would run').argument('<file>')).action(async (file: string, o: TargetOptions) => {
    const desired = await readSchemaFile(file);
    const steps = planSchema(await liveSchema(o, remoteOf(o)), desired);
    emit(o.json, { steps }, () => printPlan(steps));
  });

  withTarget(cmd.command('apply').description('Apply FILE in one transaction').argument('<file>'))
    .option('-y, --yes', 'apply destructive steps (drops, type changes) without asking')
    .action(async (file: string, o: TargetOptions & { yes?: boolean }) => {
      const desired = await readSchemaFile(file);
      const remote = remoteOf(o);
      const steps = planSchema(await liveSchema(o, remote), desired);
      if (!o.json) printPlan(steps);
      if (steps.length === 0) return emit(o.json, { steps, applied: false }, () => {});
      const destructive = steps.filter((s) => s.destructive).length;
      if (destructive && !o.yes && !(await confirm(`Apply ${destructive} destructive step(s)?`))) {
        throw new CliError(`Refused: the plan has ${destructive} destructive step(s); re-run with --yes to apply them.`, EXIT.NEEDS_CONFIRMATION);
      }
      if (remote) await api(remote, 'PUT', '/api/collections/import', { collections: desired.collections, deleteMissing: true });
      else await withDataDir(o, (d) => applySchema(d.collections, desired, { allowDestructive: true }));
      emit(o.json, { steps, applied: true }, () => out(`${colors.green('✓')} Applied ${steps.length} step(s).`));
    });
  return cmd;
}
