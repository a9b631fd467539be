import { describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.ts';
import type { ChangeEntry } from './change-feed.ts';
import { createFeedTail, type TailRead } from './feed-tail.ts';

const entry = (seq: number): ChangeEntry => ({
  seq,
  collectionId: 'c',
  recordId: `r${seq}`,
  action: 'create',
  created: '',
  record: null,
  previous: null,
});

/** A log of `seqs` read from `oldest` on, synchronously or after a promise the test resolves. */
function fakeLog() {
  const log: number[] = [];
  let oldest = 1;
  let reads = 0;
  let open = 0;
  let maxOpen = 0;
  const read = (seq: number, limit: number): TailRead => {
    const latest = log.length ? log[log.length - 1]! : 0;
    const gap = seq > latest || seq < oldest - 1;
    if (gap) return { changes: [], gap, latest };
    return { changes: log.filter((s) => s > seq && s >= oldest).slice(0, limit).map(entry), gap, latest };
  };
  return {
    log,
    prune(to: number) {
      oldest = to + 1;
    },
    get reads() {
      return reads;
    },
    get maxOpen() {
      return maxOpen;
    },
    sync: (seq: number, limit: number) => (reads++, read(seq, limit)),
    async: async (seq: number, limit: number) => {
      reads++;
      open++;
      maxOpen = Math.max(maxOpen, open);
      const res = read(seq, limit);
      await new Promise((r) => setTimeout(r, 5));
      open--;
      return res;
    },
  };
}

const turn = () => new Promise((r) => setImmediate(r));
const logger = createLogger('error', () => {});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

describe('feed tail', () => {
  it('a synchronous read delivers in one turn, in batches, every seq once in order', async () => {
    const log = fakeLog();
    const tail = createFeedTail({ start: 0, read: log.sync, batch: 3, logger });
    const got: number[] = [];
    tail.subscribe((changes) => got.push(...changes.map((c) => c.seq)));
    log.log.push(1, 2, 3, 4, 5, 6, 7);
    tail.wake();
    tail.wake(); // coalesced with the first
    await until(() => got.length === 7);
    await turn();
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(tail.cursor()).toBe(7);
    expect(log.reads).toBe(3); // 3 + 3 + 1: a short batch ends the drain
    tail.close();
  });

  it('wake-ups during an async read make it read again; reads never overlap', async () => {
    const log = fakeLog();
    const tail = createFeedTail({ start: 0, read: log.async, batch: 100, logger });
    const got: number[] = [];
    tail.subscribe((changes) => got.push(...changes.map((c) => c.seq)));
    for (let s = 1; s <= 20; s++) {
      log.log.push(s);
      tail.wake();
      await new Promise((r) => setTimeout(r, 1));
    }
    await until(() => got.length === 20);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(log.maxOpen).toBe(1);
    tail.close();
  });

  it('a gap moves the cursor to the latest seq and tells listeners to resync', async () => {
    const log = fakeLog();
    const tail = createFeedTail({ start: 0, read: log.sync, batch: 10, logger });
    const seen: { seqs: number[]; gap: boolean; through: number }[] = [];
    tail.subscribe((changes, info) => seen.push({ seqs: changes.map((c) => c.seq), ...info }));
    log.log.push(1, 2, 3, 4);
    log.prune(2);
    tail.wake();
    await until(() => seen.length === 1);
    expect(seen).toEqual([{ seqs: [], gap: true, through: 4 }]);
    log.log.push(5);
    tail.wake();
    await until(() => seen.length === 2);
    expect(seen[1]).toEqual({ seqs: [5], gap: false, through: 5 });
    tail.close();
  });

  it('a failing read or listener is logged and the next wake-up carries on', async () => {
    const errors: string[] = [];
    const log = fakeLog();
    let fail = true;
    const tail = createFeedTail({
      start: 0,
      read: (seq, limit) => {
        if (fail) throw new Error('db down');
        return log.sync(seq, limit);
      },
      batch: 10,
      logger: createLogger('error', (line) => errors.push(line)),
    });
    const got: number[] = [];
    tail.subscribe(() => {
      throw new Error('listener broke');
    });
    tail.subscribe((changes) => got.push(...changes.map((c) => c.seq)));
    log.log.push(1);
    tail.wake();
    await until(() => errors.length === 1);
    fail = false;
    tail.wake();
    await until(() => got.length === 1);
    expect(got).toEqual([1]);
    expect(errors.join('\n')).toMatch(/reading the change log failed[\s\S]*change listener failed/);
    tail.close();
  });

  it('with a synchronous latest(), no read while no one listens; the first listener starts from latest()', async () => {
    const log = fakeLog();
    const latest = () => (log.log.length ? log.log[log.log.length - 1]! : 0);
    const tail = createFeedTail({ start: 0, read: log.sync, latest, batch: 10, logger });
    log.log.push(1, 2, 3);
    tail.wake();
    await turn();
    await turn();
    expect(log.reads).toBe(0);
    const got: number[] = [];
    const off = tail.subscribe((changes) => got.push(...changes.map((c) => c.seq)));
    expect(tail.cursor()).toBe(3);
    log.log.push(4, 5);
    tail.wake();
    await until(() => got.length === 2);
    expect(got).toEqual([4, 5]);
    off();
    log.log.push(6);
    tail.wake();
    await turn();
    await turn();
    expect(log.reads).toBe(1);
    tail.subscribe((changes) => got.push(...changes.map((c) => c.seq)));
    log.log.push(7);
    tail.wake();
    await until(() => got.length === 3);
    expect(got).toEqual([4, 5, 7]);
    tail.close();
  });

  it('without latest(), a drain while no one listens reads no rows but moves the cursor to the latest seq', async () => {
    const log = fakeLog();
    const limits: number[] = [];
    const tail = createFeedTail({ start: 0, read: (seq, limit) => (limits.push(limit), log.async(seq, limit)), batch: 10, logger });
    log.log.push(1, 2, 3);
    tail.wake();
    await until(() => tail.cursor() === 3);
    expect(limits).toEqual([0]);
    const got: number[] = [];
    tail.subscribe((changes) => got.push(...changes.map((c) => c.seq)));
    log.log.push(4);
    tail.wake();
    await until(() => got.length === 1);
    expect(got).toEqual([4]);
    tail.close();
  });

  it('a listener that subscribes during an idle read gets the rows after the cursor it saw', async () => {
    const log = fakeLog();
    const tail = createFeedTail({ start: 0, read: log.async, batch: 10, logger });
    log.log.push(1, 2);
    tail.wake();
    await until(() => log.reads === 1); // the idle read is in flight
    const got: number[] = [];
    tail.subscribe((changes) => got.push(...changes.map((c) => c.seq)));
    await until(() => got.length === 2);
    expect(got).toEqual([1, 2]);
    expect(tail.cursor()).toBe(2);
    tail.close();
  });

  it('after close nothing is delivered', async () => {
    const log = fakeLog();
    const tail = createFeedTail({ start: 0, read: log.async, batch: 10, logger });
    const got: number[] = [];
    tail.subscribe((changes) => got.push(...changes.map((c) => c.seq)));
    log.log.push(1);
    tail.wake();
    await until(() => log.reads === 1);
    tail.close();
    await new Promise((r) => setTimeout(r, 20));
    tail.wake();
    await turn();
    expect(got).toEqual([]);
  });
});
