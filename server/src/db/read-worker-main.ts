/**
 * The body of a read worker (see read-pool.ts). It is started from its own source text
 * (`readWorkerMain.toString()`), so it may use nothing from outside: `require` is the worker's.
 * It holds one read-only connection, runs one statement at a time with a deadline, and stops a
 * statement past its deadline through `hearth_budget()`, which the SQL calls once per row.
 */
export function readWorkerMain(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { statSync } = require('node:fs') as typeof import('node:fs');
  const Database = require(workerData.driver as string) as typeof import('better-sqlite3');
  const path = workerData.path as string;
  let deadline = Number.POSITIVE_INFINITY;
  const BUDGET = 'HEARTH_BUDGET_EXCEEDED';

  const open = () => {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -16000');
    db.function('hearth_budget', { deterministic: false }, () => {
      if (performance.now() > deadline) throw new Error(BUDGET);
      return 1;
    });
    return { db, ino: statSync(path).ino };
  };
  let conn = open();
  parentPort!.postMessage({ ready: true });

  parentPort!.on('message', (msg: { id: number; sql: string; params: unknown[]; pluck: boolean; budgetMs: number }) => {
    try {
      // A restore swaps the file under the same name: follow it.
      if (statSync(path).ino !== conn.ino) {
        conn.db.close();
        conn = open();
      }
      const params = msg.params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p));
      const stmt = conn.db.prepare(msg.sql);
      if (msg.pluck) stmt.pluck();
      deadline = performance.now() + msg.budgetMs;
      const rows = stmt.all(...params);
      parentPort!.postMessage({ id: msg.id, rows });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const budget = typeof e.message === 'string' && e.message.includes(BUDGET);
      parentPort!.postMessage({ id: msg.id, error: { code: e.code, message: e.message, budget } });
    } finally {
      deadline = Number.POSITIVE_INFINITY;
    }
  });
}
