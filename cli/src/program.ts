/** The `hearth` program: one commander command per file under commands/. */
import type { Command } from 'commander';
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
import { hearthProgram, runProgram } from './run-program.ts';

export function buildProgram(): Command {
  const program = hearthProgram();
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

export function run(argv: string[]): Promise<void> {
  return runProgram(buildProgram(), argv);
}
