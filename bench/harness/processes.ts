/**
 * Child processes and temp dirs the harness owns: every spawn and mkdtemp goes through here so a
 * normal end, an error or Ctrl-C can stop them all (SIGINT → SIGKILL after a grace period) and
 * remove the dirs. Keeps the tail of each child's output for error messages.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tracked {
  name: string;
  child: ChildProcess;
  /** Last lines of stdout+stderr, for error messages. */
  tail(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

const TAIL_LINES = 40;
const children = new Set<Tracked>();
const tempDirs = new Set<string>();

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hearth-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export function spawnTracked(name: string, cmd: string, args: string[], options: SpawnOptions = {}): Tracked {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line);
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => resolve(`spawn error: ${err.message}`));
  });
  const tracked: Tracked = { name, child, tail: () => lines.join('\n'), exited };
  children.add(tracked);
  void exited.then(() => children.delete(tracked));
  return tracked;
}

/** SIGINT (graceful: lets servers flush --cpu-prof and checkpoint), then SIGKILL after graceMs. */
export async function stopTracked(t: Tracked, graceMs = 5000): Promise<void> {
  if (t.child.exitCode !== null || t.child.signalCode !== null) return;
  t.child.kill('SIGINT');
  const timer = setTimeout(() => t.child.kill('SIGKILL'), graceMs);
  await t.exited;
  clearTimeout(timer);
}

export async function cleanupAll(): Promise<void> {
  await Promise.all([...children].map((t) => stopTracked(t)));
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

/** Last resort for process 'exit': no awaiting possible, so kill hard and remove synchronously. */
export function cleanupSync(): void {
  for (const t of children) t.child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** For the CLI: Ctrl-C, SIGTERM and crashes all end in cleanup. */
export function installCleanupHandlers(): void {
  let stopping = false;
  const stop = (code: number) => (): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nbench: stopping children and removing temp dirs…\n');
    void cleanupAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', stop(130));
  process.once('SIGTERM', stop(143));
  process.once('exit', cleanupSync);
}

/** Node descendants of pid (a CLI may re-exec itself); the deepest one serves the requests. */
export function serverPidOf(rootPid: number): number {
  let pid = rootPid;
  for (let depth = 0; depth < 4; depth++) {
    let kids: number[];
    try {
      kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      break;
    }
    const node = kids.find((k) => {
      try {
        return readFileSync(`/proc/${k}/cmdline`, 'utf8').includes('node');
      } catch {
        return false;
      }
    });
    if (node === undefined) break;
    pid = node;
  }
  return pid;
}
