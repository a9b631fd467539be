/** The `hearth` program: one commander command per file under commands/. */
import { Command, CommanderError } from 'commander';
import { serveCommand } from './commands/serve.ts';
import { superuserCommand } from './commands/superuser.ts';
import { collectionsCommand } from './commands/collections.ts';
import { genCommand } from './commands/gen-types.ts';

export function buildProgram(): Command {
  const program = new Command('hearth')
    .description('Hearth — a self-hostable backend on one SQLite file.')
    .version('0.1.0')
    .showHelpAfterError();
  program.addCommand(serveCommand());
  program.addCommand(superuserCommand());
  program.addCommand(collectionsCommand());
  program.addCommand(genCommand());
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}
