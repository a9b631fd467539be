/**
 * The seed data, generated deterministically from a seed so every target (and every run) gets
 * identical rows. Ids are client-given (15 chars, PocketBase's shape) so request lists can name
 * them without asking the server.
 */

export interface DatasetSizes {
  posts: number;
  authors: number;
  users: number;
  rooms: number;
  roomsPerUser: number;
  /** items that PATCH rounds update (never deleted) */
  patchItems: number;
  /** items that DELETE rounds remove, each once */
  deleteItems: number;
}

export type Row = Record<string, string | number>;

export interface Dataset {
  sizes: DatasetSizes;
  /** Rows per collection name, in insertion order (relations point backwards only). */
  rows: Record<string, Row[]>;
  /** Plain-text password of every user (the Hearth driver signs in with it). */
  password: string;
  /** room ids each user belongs to */
  memberships: Map<string, string[]>;
  patchIds: string[];
  deleteIds: string[];
}

export const CATEGORIES = 10;
export const BENCH_PASSWORD = 'bench-password-1';

/** mulberry32: tiny, fast, good enough to shuffle benchmark data reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const benchId = (prefix: string, n: number): string => `${prefix}${String(n).padStart(14, '0')}`;

export function generateDataset(sizes: DatasetSizes, seed = 42): Dataset {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const authors = Array.from({ length: sizes.authors }, (_, i) => ({ id: benchId('a', i), name: `Author ${i}` }));
  const posts = Array.from({ length: sizes.posts }, (_, i) => ({
    id: benchId('p', i),
    title: `Post number ${i}`,
    category: `c${i % CATEGORIES}`,
    rank: Math.floor(rnd() * 1_000_000),
    author: pick(authors).id,
  }));
  const users = Array.from({ length: sizes.users }, (_, i) => ({
    id: benchId('u', i),
    email: `user${i}@bench.test`,
    name: `User ${i}`,
  }));
  const rooms = Array.from({ length: sizes.rooms }, (_, i) => ({ id: benchId('r', i), name: `Room ${i}` }));
  const members: Row[] = [];
  const memberships = new Map<string, string[]>();
  for (const u of users) {
    const mine = new Set<string>();
    while (mine.size < Math.min(sizes.roomsPerUser, rooms.length)) mine.add(pick(rooms).id);
    memberships.set(u.id, [...mine]);
    for (const room of mine) members.push({ id: benchId('m', members.length), user: u.id, room });
  }
  const itemCount = sizes.patchItems + sizes.deleteItems;
  const items = Array.from({ length: itemCount }, (_, i) => ({
    id: benchId('i', i),
    title: `Item ${i}`,
    rank: i,
  }));
  const ids = items.map((r) => r.id);
  return {
    sizes,
    rows: { authors, posts, users, rooms, room_members: members, messages: [], items },
    password: BENCH_PASSWORD,
    memberships,
    patchIds: ids.slice(0, sizes.patchItems),
    deleteIds: ids.slice(sizes.patchItems),
  };
}
