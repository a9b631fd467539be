/**
 * Terminal output: colours only when the stream is a TTY and NO_COLOR is unset (FORCE_COLOR
 * forces them), `--json` for scripts, and the exit codes every command uses.
 */
import pc from 'picocolors';

/** Exit codes (documented in docs/cli.md). */
export const EXIT = {
  OK: 0,
  /** The command failed: bad input, a refused request, an unreachable server. */
  FAILURE: 1,
  /** Wrong usage: unknown command or option, missing argument. */
  USAGE: 2,
  /** Refused without confirmation (a destructive schema plan without --yes). */
  NEEDS_CONFIRMATION: 3,
  /** Finished, but some input was rejected (records import with failed lines). */
  PARTIAL: 4,
} as const;

/** An error that ends the command with a specific exit code and one line of text. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.FAILURE) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}

export const colors = pc.createColors(useColor(process.stdout));
export const errColors = pc.createColors(useColor(process.stderr));

export const out = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : text + '\n');
export const info = (text: string): void => void process.stderr.write(text.endsWith('\n') ? text : text + '\n');
export const printJson = (value: unknown): void => out(JSON.stringify(value, null, 2));

/** Prints `value` as JSON with --json, else runs the human printer. */
export function emit(json: boolean | undefined, value: unknown, human: () => void): void {
  if (json) printJson(value);
  else human();
}

/** Left-aligned columns. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => stripAnsi(r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - stripAnsi(c).length))).join('  ')).join('\n');
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
