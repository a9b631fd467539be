/**
 * The log entries waiting for their batch, kept off the JS heap: each entry's text fields are
 * written as UTF-8 into one growing byte buffer and its level into a typed array, so nothing a
 * request allocates for its log line lives until the flush. (Kept as JS arrays of strings they
 * outlived the young generation's scavenges and were promoted: ~485 B of old space per request
 * at a batch of 500, left for full collections.) A batch's strings are decoded again only when
 * it is written.
 */

/** Text fields per entry, in the order of `_logs`' insert (the level goes between id and message). */
const TEXTS = 4;
/** Initial sizes; both grow by doubling and go back to these once a flush has emptied a larger queue. */
const INITIAL_BYTES = 256 * 1024;
const INITIAL_ENTRIES = 1024;
/** Columns per row of a taken batch: id, level, message, data, created. */
export const ROW_COLUMNS = 5;

export interface EntryQueue {
  readonly length: number;
  push(id: string, level: number, message: string, data: string, created: string): void;
  /**
   * Removes up to `count` entries from the front and returns their rows flattened (the insert's
   * parameters: ROW_COLUMNS values per row, in queue order).
   */
  take(count: number): unknown[];
}

export function createEntryQueue(): EntryQueue {
  let bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  let used = 0;
  /** Where each text field ends in `bytes` (an entry starts where the one before it ends). */
  let ends = new Uint32Array(INITIAL_ENTRIES * TEXTS);
  let levels = new Float64Array(INITIAL_ENTRIES);
  /** Entries written since the queue was last empty, and how many of them were taken. */
  let count = 0;
  let head = 0;

  const reserve = (more: number): void => {
    if (used + more > bytes.length) {
      let size = bytes.length * 2;
      while (used + more > size) size *= 2;
      const next = Buffer.allocUnsafe(size);
      bytes.copy(next, 0, 0, used);
      bytes = next;
    }
    if (count === levels.length) {
      const nextEnds = new Uint32Array(ends.length * 2);
      nextEnds.set(ends);
      ends = nextEnds;
      const nextLevels = new Float64Array(levels.length * 2);
      nextLevels.set(levels);
      levels = nextLevels;
    }
  };

  const write = (text: string, slot: number): void => {
    used += bytes.write(text, used, 'utf8');
    ends[slot] = used;
  };

  const reset = (): void => {
    count = 0;
    head = 0;
    used = 0;
    if (bytes.length > INITIAL_BYTES) bytes = Buffer.allocUnsafe(INITIAL_BYTES);
    if (levels.length > INITIAL_ENTRIES) {
      ends = new Uint32Array(INITIAL_ENTRIES * TEXTS);
      levels = new Float64Array(INITIAL_ENTRIES);
    }
  };

  return {
    get length() {
      return count - head;
    },
    push(id, level, message, data, created) {
      // A UTF-16 code unit never takes more than 3 bytes of UTF-8, so this much room is enough.
      reserve(3 * (id.length + message.length + data.length + created.length));
      const slot = count * TEXTS;
      write(id, slot);
      write(message, slot + 1);
      write(data, slot + 2);
      write(created, slot + 3);
      levels[count] = level;
      count += 1;
    },
    take(n) {
      const taken = Math.min(n, count - head);
      const out = new Array<unknown>(taken * ROW_COLUMNS);
      let at = head === 0 ? 0 : ends[head * TEXTS - 1]!;
      for (let i = 0; i < taken; i++) {
        const entry = head + i;
        const slot = entry * TEXTS;
        const row = i * ROW_COLUMNS;
        out[row] = bytes.toString('utf8', at, ends[slot]!);
        out[row + 1] = levels[entry];
        out[row + 2] = bytes.toString('utf8', ends[slot]!, ends[slot + 1]!);
        out[row + 3] = bytes.toString('utf8', ends[slot + 1]!, ends[slot + 2]!);
        out[row + 4] = bytes.toString('utf8', ends[slot + 2]!, ends[slot + 3]!);
        at = ends[slot + 3]!;
      }
      head += taken;
      if (head === count) reset();
      return out;
    },
  };
}
