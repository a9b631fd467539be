/** The `hearth` program: one commander command per file under commands/. */
import { Command, CommanderError } from 'commander';
import { serveCommand } from './commands/serve.ts';
import { superuserCommand } from './commands/superuser.ts';
import { collectionsCommand } from './commands/collections.ts';
import { genCommand } from './commands/gen-types.ts';
import { backupCommand } from './commands/backup.ts';
import { schemaCommand } from './commands/schema.ts';
import { recordsCommand } from './commands/records.ts';
import { loginCommand, logoutCommand } from './commands/login.ts';
import { completionCommand } from './commands/completion.ts';
import { migrateCommand } from './commands/migrate.ts';
import { dbCommand } from './commands/db.ts';
import { EXIT } from './output.ts';

export function buildProgram(): Command {
  const program = new Command('hearth')
    .description('Hearth — a self-hostable backend on one SQLite file.')
    .version('0.1.0')
    .showHelpAfterError();
  program.addCommand(serveCommand());
  program.addCommand(superuserCommand());
  program.addCommand(collectionsCommand());
  program.addCommand(genCommand());
  program.addCommand(schemaCommand());
  program.addCommand(migrateCommand());
  program.addCommand(recordsCommand());
  program.addCommand(backupCommand());
  program.addCommand(dbCommand());
  program.addCommand(loginCommand());
  program.addCommand(logoutCommand());
  program.addCommand(completionCommand(buildProgram));
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  // Every command throws instead of exiting, so usage errors get one exit code (2).
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every usage error (unknown command, missing argument) exits 2
      process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      return;
    }
    throw err;
  }
}
