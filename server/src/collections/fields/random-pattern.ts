/**
 * Random strings from a small regex subset, for text fields' `autogeneratePattern` (e.g.
 * `[a-z0-9]{15}`). Supported: literals, escapes (\d \w and escaped literals), `.`, character
 * classes with ranges, and the quantifiers ? * + {n} {n,} {n,m}. Groups and alternation are refused.
 */
import { randomInt } from 'node:crypto';

/** Unbounded quantifiers (* + {n,}) add at most this many repetitions, keeping values short. */
const OPEN_REPEAT_EXTRA = 10;
/** A pattern may not describe values longer than this: generated values land in a TEXT column. */
const MAX_GENERATED_LENGTH = 1000;

const DIGITS = '0123456789';
const WORD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
const PRINTABLE = WORD + '-.~';

interface Atom {
  chars: string;
  min: number;
  max: number;
}

export type PatternGenerator = { generate: () => string } | { error: string };

function escapeSet(ch: string): string | undefined {
  if (ch === 'd') return DIGITS;
  if (ch === 'w') return WORD;
  if (/[a-zA-Z0-9]/.test(ch)) return undefined; // \s, \b, \n… are not generatable here
  return ch;
}

/** Parses `[...]` starting after the `[`; returns the set and the index after `]`. */
function parseClass(p: string, start: number): { chars: string; next: number } | string {
  let chars = '';
  let i = start;
  if (p[i] === '^') return 'negated character classes are not supported';
  while (i < p.length && p[i] !== ']') {
    let ch = p[i]!;
    if (ch === '\\') {
      const set = escapeSet(p[i + 1] ?? '');
      if (set === undefined) return `unsupported escape \\${p[i + 1] ?? ''}`;
      chars += set;
      i += 2;
      continue;
    }
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      const to = p[i + 2]!;
      if (to.charCodeAt(0) < ch.charCodeAt(0)) return `invalid range ${ch}-${to}`;
      for (let c = ch.charCodeAt(0); c <= to.charCodeAt(0); c++) chars += String.fromCharCode(c);
      i += 3;
      continue;
    }
    chars += ch;
    i++;
  }
  if (p[i] !== ']') return 'unterminated character class';
  if (chars === '') return 'empty character class';
  return { chars: [...new Set(chars)].join(''), next: i + 1 };
}

function parseQuantifier(p: string, i: number): { min: number; max: number; next: number } | string {
  const ch = p[i];
  if (ch === '?') return { min: 0, max: 1, next: i + 1 };
  if (ch === '*') return { min: 0, max: OPEN_REPEAT_EXTRA, next: i + 1 };
  if (ch === '+') return { min: 1, max: 1 + OPEN_REPEAT_EXTRA, next: i + 1 };
  if (ch !== '{') return { min: 1, max: 1, next: i };
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return 'invalid quantifier';
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? min + OPEN_REPEAT_EXTRA : Number(m[3]);
  if (max < min) return 'invalid quantifier range';
  return { min, max, next: i + m[0].length };
}

function parseAtoms(pattern: string): Atom[] | string {
  let p = pattern;
  if (p.startsWith('^')) p = p.slice(1);
  if (p.endsWith('$') && !p.endsWith('\\$')) p = p.slice(0, -1);
  const atoms: Atom[] = [];
  let i = 0;
  while (i < p.length) {
    const ch = p[i]!;
    let chars: string;
    if (ch === '(' || ch === ')' || ch === '|') return 'groups and alternation are not supported';
    if (ch === '[') {
      const cls = parseClass(p, i + 1);
      if (typeof cls === 'string') return cls;
      chars = cls.chars;
      i = cls.next;
    } else if (ch === '\\') {
      const set = escapeSet(p[i + 1] ?? '');
      if (set === undefined || p[i + 1] === undefined) return `unsupported escape \\${p[i + 1] ?? ''}`;
      chars = set;
      i += 2;
    } else if ('?*+{}^$]'.includes(ch)) {
      return `unexpected ${ch}`;
    } else {
      chars = ch === '.' ? PRINTABLE : ch;
      i++;
    }
    const q = parseQuantifier(p, i);
    if (typeof q === 'string') return q;
    i = q.next;
    atoms.push({ chars, min: q.min, max: q.max });
  }
  return atoms;
}

export function compilePattern(pattern: string): PatternGenerator {
  const atoms = parseAtoms(pattern);
  if (typeof atoms === 'string') return { error: `Unsupported autogenerate pattern: ${atoms}.` };
  const longest = atoms.reduce((n, a) => n + a.max, 0);
  if (longest > MAX_GENERATED_LENGTH) return { error: `The pattern may generate more than ${MAX_GENERATED_LENGTH} characters.` };
  return {
    generate: () => {
      let out = '';
      for (const atom of atoms) {
        const count = atom.min === atom.max ? atom.min : randomInt(atom.min, atom.max + 1);
        for (let n = 0; n < count; n++) out += atom.chars[randomInt(atom.chars.length)];
      }
      return out;
    },
  };
}

const cache = new Map<string, PatternGenerator>();

/** Generates one value; throws only for a pattern that validation should have refused. */
export function generateFromPattern(pattern: string): string {
  let gen = cache.get(pattern);
  if (!gen) {
    gen = compilePattern(pattern);
    if (cache.size > 500) cache.clear();
    cache.set(pattern, gen);
  }
  if ('error' in gen) throw new Error(gen.error);
  return gen.generate();
}
