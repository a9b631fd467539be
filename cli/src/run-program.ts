/** The `hearth` program's root (name, version, help) and how argv is run through it. */
import { Command, CommanderError } from 'commander';
import { EXIT } from './output.ts';

/** The root every `hearth` program is built on (program.ts adds every command, serve-program.ts one). */
export function hearthProgram(): Command {
  return new Command('hearth').description('Hearth — a self-hostable backend on one SQLite file.').version('0.1.0').showHelpAfterError();
}

/** Parses argv: every usage error exits 2, help and version 0; other errors propagate. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
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
