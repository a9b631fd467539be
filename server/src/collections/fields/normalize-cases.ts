/**
 * Test-only: the table runner the field normalize tests share (normalize-scalar, normalize-list).
 * A row is `[label, field, input, ok(value) | err(code)]`; each row is one test. Not exported by
 * index.ts.
 */
import { expect, it } from 'vitest';
import type { Collection, Field, FieldType as FieldTypeName } from '../model.ts';
import { makeField } from '../system-fields.ts';
import { fieldTypeOf } from './index.ts';

const collection = { id: 'c1', name: 'posts', type: 'base', fields: [] } as unknown as Collection;
export const field = (type: FieldTypeName, props: Partial<Field> = {}): Field => makeField(type, 'f', props);
export const normalize = (f: Field, value: unknown, isNew = true, current?: string | number | null) =>
  fieldTypeOf(f).normalize(value, f, { collection, isNew, current });

type Row = [label: string, f: Field, input: unknown, expected: { value: unknown } | { code: string }];

export function run(rows: Row[]) {
  it.each(rows)('%s', (_label, f, input, expected) => {
    const res = normalize(f, input);
    if ('code' in expected) {
      expect('error' in res ? res.error.code : res).toBe(expected.code);
    } else {
      expect(res).toEqual({ value: expected.value });
    }
  });
}

export const ok = (value: unknown) => ({ value });
export const err = (code: string) => ({ code });
