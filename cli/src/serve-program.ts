/**
 * `hearth serve …` on its own: the program with only the serve command, so a server process — and
 * above all a cluster's primary, which serves nothing — loads no other command and its libraries.
 * `hearth --help` and every other command go through program.ts.
 */
import { serveCommand } from './commands/serve.ts';
import { hearthProgram, runProgram } from './run-program.ts';

export function run(argv: string[]): Promise<void> {
  const program = hearthProgram();
  program.addCommand(serveCommand());
  return runProgram(program, argv);
}
