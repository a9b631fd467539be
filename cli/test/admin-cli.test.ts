/**
 * The admin commands of the real `hearth` binary, each run as a child process on a real data dir:
 * schema as code, bulk records, login, completion, output conventions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Each step is a child process; on a loaded machine one can take seconds, so no step is timed here. */
const SLOW = { timeout: 900_000 };
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');
let work: string;

function hearth(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function ok(args: string[], env?: Record<string, string>) {
  const r = hearth(args, env);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

const dataDir = (name: string) => join(work, name);
const exportJsonl = (dir: string, collection: string) => {
  const file = join(work, `${collection}-${Math.random().toString(36).slice(2)}.jsonl`);
  ok(['records', 'export', collection, file, '--dir', dir]);
  return readFileSync(file, 'utf8');
};

beforeAll(() => {
  // inside the repo, so a --ts schema file resolves @hearth/sdk/schema like in a user's project
  mkdirSync(join(ROOT, 'cli/test/.tmp'), { recursive: true });
  work = mkdtempSync(join(ROOT, 'cli/test/.tmp/admin-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('schema as code', SLOW, () => {
  const dir = () => dataDir('schema');
  const file = () => join(work, 'schema.json');

  it('export → edit → diff → apply: a renamed field keeps its data', () => {
    ok(['collections', 'create', JSON.stringify({ name: 'posts', fields: [{ name: 'title', type: 'text' }, { name: 'body', type: 'text' }] }), '--dir', dir()]);
    writeFileSync(join(work, 'posts.jsonl'), '{"title":"first","body":"a"}\n{"title":"second","body":"b"}\n');
    ok(['records', 'import', 'posts', join(work, 'posts.jsonl'), '--dir', dir()]);
    ok(['schema', 'export', file(), '--dir', dir()]);

    const doc = JSON.parse(readFileSync(file(), 'utf8'));
    const posts = doc.collections.find((c: { name: string }) => c.name === 'posts');
    posts.fields.find((f: { name: string }) => f.name === 'title').name = 'headline';
    posts.fields.push({ name: 'views', type: 'number' });
    posts.listRule = '';
    writeFileSync(file(), JSON.stringify(doc));

    const diff = ok(['schema', 'diff', file(), '--dir', dir()]);
    expect(diff.stdout).toContain('rename field title → headline');
    expect(diff.stdout).toContain('add field views (number)');
    expect(diff.stdout).toContain('listRule: null → ""');
    expect(diff.stdout).not.toContain('[destructive]');
    const plan = JSON.parse(ok(['schema', 'diff', file(), '--dir', dir(), '--json']).stdout);
    expect(plan.steps.map((s: { kind: string }) => s.kind).sort()).toEqual(['add-field', 'change-rule', 'rename-field']);

    ok(['schema', 'apply', file(), '--dir', dir()]);
    const rows = exportJsonl(dir(), 'posts').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.headline, r.body, r.views])).toEqual([
      ['first', 'a', 0],
      ['second', 'b', 0],
    ]);
    expect(ok(['schema', 'diff', file(), '--dir', dir()]).stdout).toContain('No changes');
  });

  it('refuses a destructive plan without --yes and applies it with --yes', () => {
    const doc = JSON.parse(readFileSync(file(), 'utf8'));
    const posts = doc.collections.find((c: { name: string }) => c.name === 'posts');
    posts.fields = posts.fields.filter((f: { name: string }) => f.name !== 'body');
    writeFileSync(file(), JSON.stringify(doc));

    const refused = hearth(['schema', 'apply', file(), '--dir', dir()]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('drop field body and its data  [destructive]');
    expect(refused.stderr).toMatch(/^hearth: Refused: .*--yes/m);
    expect(exportJsonl(dir(), 'posts')).toContain('"body":"a"');

    ok(['schema', 'apply', file(), '--dir', dir(), '--yes']);
    const rows = exportJsonl(dir(), 'posts').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[0]).not.toHaveProperty('body');
    expect(rows[0].headline).toBe('first');
  });

  it('--ts writes a defineSchema module that type-checks and applies', () => {
    const ts = join(work, 'schema.ts');
    ok(['schema', 'export', ts, '--ts', '--dir', dir()]);
    expect(readFileSync(ts, 'utf8')).toContain("import { defineSchema } from '@hearth/sdk/schema';");
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--allowImportingTsExtensions', '--skipLibCheck', ts], { cwd: work, encoding: 'utf8' });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);

    // a type error in such a file is caught
    const bad = join(work, 'bad-schema.ts');
    writeFileSync(bad, readFileSync(ts, 'utf8').replace('"type": "number"', '"type": "numbr"'));
    const tscBad = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--skipLibCheck', bad], { cwd: work, encoding: 'utf8' });
    expect(tscBad.status).not.toBe(0);

    expect(ok(['schema', 'diff', ts, '--dir', dir()]).stdout).toContain('No changes');
  });

  it('migrate applies each file once and records it', () => {
    const folder = join(work, 'migrations');
    mkdirSync(folder);
    writeFileSync(join(folder, '001_tags.json'), JSON.stringify({ collections: [{ name: 'tags', fields: [{ name: 'label', type: 'text' }] }] }));
    writeFileSync(join(folder, '002_tags_color.json'), JSON.stringify({ collections: [{ name: 'tags', fields: [{ name: 'color', type: 'text' }] }] }));
    const first = JSON.parse(ok(['migrate', 'up', '--migrations', folder, '--dir', dir(), '--json']).stdout);
    expect(first.applied).toEqual(['001_tags.json', '002_tags_color.json']);
    expect(JSON.parse(ok(['migrate', '--migrations', folder, '--dir', dir(), '--json']).stdout).applied).toEqual([]);
    const status = JSON.parse(ok(['migrate', 'status', '--migrations', folder, '--dir', dir(), '--json']).stdout);
    expect(status.every((s: { applied: string | null }) => s.applied)).toBe(true);
    const tags = JSON.parse(ok(['collections', 'get', 'tags', '--dir', dir()]).stdout);
    expect(tags.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['label', 'color']));
  });
});

describe('records import and export', SLOW, () => {
  const ROWS = 100_000;
  const BAD = new Map([
    [1234, 'bad-number'],
    [50_000, 'missing-title'],
    [99_999, 'extra-column'],
  ]);
  const dir = () => dataDir('bulk');

  it(`imports ${ROWS} CSV rows, reporting 3 bad lines by number`, () => {
    ok(['collections', 'create', JSON.stringify({ name: 'items', fields: [{ name: 'title', type: 'text', required: true }, { name: 'qty', type: 'number' }, { name: 'done', type: 'bool' }] }), '--dir', dir()]);
    const lines = ['title,qty,done'];
    for (let i = 1; i <= ROWS; i++) {
      const kind = BAD.get(i);
      if (kind === 'bad-number') lines.push(`item ${i},lots,true`);
      else if (kind === 'missing-title') lines.push(`,${i},false`);
      else if (kind === 'extra-column') lines.push(`item ${i},${i},true,surplus`);
      else lines.push(`item ${i},${i},${i % 2 === 0}`);
    }
    const csv = join(work, 'items.csv');
    writeFileSync(csv, lines.join('\n') + '\n');

    const r = hearth(['records', 'import', 'items', csv, '--dir', dir()]);
    expect(r.code, r.stderr).toBe(4);
    // data row i sits on line i + 1 (line 1 is the header)
    const reported = [...r.stderr.matchAll(/line (\d+): (.*)/g)].map((m) => [Number(m[1]), m[2]]);
    expect(reported.map(([line]) => line)).toEqual([1235, 50_001, 100_000]);
    expect(reported[0]![1]).toMatch(/qty.*not a number/);
    expect(reported[1]![1]).toMatch(/title: Missing required value/);
    expect(reported[2]![1]).toMatch(/expected 3 columns, found 4/);
    expect(r.stdout).toMatch(/Imported 99997 records into items, 3 failed/);

    const rows = exportJsonl(dir(), 'items').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(ROWS - 3);
    expect(rows[0]).toMatchObject({ title: 'item 1', qty: 1, done: false });
    expect(rows.find((x) => x.title === 'item 1234')).toBeUndefined();
    expect(rows.at(-1)).toMatchObject({ title: `item ${ROWS}`, qty: ROWS, done: true });
  });

  it('export → import into a fresh data dir gives identical rows (ids and timestamps kept)', () => {
    const src = dataDir('roundtrip');
    const fields = [
      { name: 'title', type: 'text', required: true },
      { name: 'qty', type: 'number' },
      { name: 'done', type: 'bool' },
      { name: 'meta', type: 'json' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
      { name: 'when', type: 'date' },
    ];
    ok(['collections', 'create', JSON.stringify({ name: 'things', fields }), '--dir', src]);
    const seed = join(work, 'seed.jsonl');
    const rows = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ title: `thing "${i}", with a comma`, qty: i / 4, done: i % 3 === 0, meta: { n: i, nested: [i, 'x'] }, tags: i % 2 ? ['a', 'c'] : [], when: i % 5 ? '2024-01-02 03:04:05.000Z' : '' }));
    writeFileSync(seed, rows.join('\n') + '\n');
    ok(['records', 'import', 'things', seed, '--dir', src]);
    const schema = join(work, 'roundtrip-schema.json');
    ok(['schema', 'export', schema, '--dir', src]);
    const expected = exportJsonl(src, 'things');
    expect(expected.trim().split('\n')).toHaveLength(2000);
    for (const format of ['jsonl', 'csv', 'json']) {
      const target = dataDir(`fresh-${format}`);
      ok(['schema', 'apply', schema, '--dir', target, '--yes']);
      const file = join(work, `things-export.${format}`);
      ok(['records', 'export', 'things', file, '--dir', src]);
      const summary = JSON.parse(ok(['records', 'import', 'things', file, '--dir', target, '--json']).stdout);
      expect(summary, format).toMatchObject({ imported: 2000, failed: 0 });
      expect(exportJsonl(target, 'things'), format).toBe(expected);
    }
  });

  it('--dry-run validates and writes nothing', () => {
    const file = join(work, 'dry.jsonl');
    writeFileSync(file, '{"title":"x","qty":1}\nnot json\n{"qty":2}\n');
    const r = hearth(['records', 'import', 'items', file, '--dir', dir(), '--dry-run', '--json']);
    expect(r.code).toBe(4);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ imported: 1, failed: 2, dryRun: true });
    expect(summary.failures.map((f: { line: number }) => f.line)).toEqual([2, 3]);
    expect(exportJsonl(dir(), 'items')).not.toContain('"title":"x"');
  });
});

describe('conventions', SLOW, () => {
  it('every command has --help with examples', () => {
    for (const cmd of [['schema'], ['records'], ['backup'], ['migrate'], ['login'], ['completion']]) {
      const r = ok([...cmd, '--help']);
      expect(r.stdout).toContain('Usage: hearth');
      expect(r.stdout).toContain('Examples:');
    }
  });

  it('exit codes: usage 2, failure 1', () => {
    expect(hearth(['nonsense']).code).toBe(2);
    expect(hearth(['records', 'import', 'items']).code).toBe(2);
    const missing = hearth(['records', 'export', 'nope', join(work, 'x.jsonl'), '--dir', dataDir('bulk')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('colours only when asked for and NO_COLOR unset', () => {
    const colored = hearth(['backup', 'list', '--dir', dataDir('bulk')], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(colored.stdout).toContain('\u001b[');
    const plain = hearth(['backup', 'list', '--dir', dataDir('bulk')], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
    // not a TTY (a pipe, as here): no colours by default
    const piped = hearth(['backup', 'list', '--dir', dataDir('bulk')], { NO_COLOR: '' });
    expect(piped.stdout).not.toContain('\u001b[');
  });

  it('completion scripts for bash, zsh and fish name the commands', () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = ok(['completion', shell]);
      for (const word of ['schema', 'records', 'backup', 'migrate']) expect(r.stdout).toContain(word);
    }
    const bash = ok(['completion', 'bash']).stdout;
    const check = spawnSync('bash', ['-n'], { input: bash, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(hearth(['completion', 'tcsh']).code).toBe(2);
  });
});
