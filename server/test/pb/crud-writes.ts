/**
 * What PocketBase's record create and update scenarios (record-crud-create, record-crud-update)
 * share: a step that patches a collection as superuser, demo3's title turned hidden, and the
 * demo4 body of relations with the values it echoes.
 */
import type { CrudServer } from './crud-fixture.ts';

export const patchCollection = (name: string, body: (col: any) => Record<string, unknown>) => async (s: CrudServer) => {
  const col = (await s.api('GET', `/api/collections/${name}`, undefined, 'superuser')).body;
  const res = await s.api('PATCH', `/api/collections/${name}`, body(col), 'superuser');
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
};
export const hideDemo3Title = patchCollection('demo3', (col) => ({ fields: col.fields.map((f: any) => (f.name === 'title' ? { ...f, hidden: true } : f)) }));

export const DEMO4_BODY = {
  title: 'test123',
  rel_one_no_cascade: 'mk5fmymtx4wsprk',
  rel_one_no_cascade_required: '7nwo8tuiatetxdm',
  rel_one_cascade: 'mk5fmymtx4wsprk',
  rel_many_no_cascade: 'mk5fmymtx4wsprk',
  rel_many_no_cascade_required: ['7nwo8tuiatetxdm', 'lcl9d87w22ml6jy'],
  rel_many_cascade: 'lcl9d87w22ml6jy',
};
/** DEMO4_BODY as the response carries it (single relations sent to multi fields come back as arrays). */
export const DEMO4_BODY_VALUES = [
  '"title":"test123"',
  '"rel_one_no_cascade":"mk5fmymtx4wsprk"',
  '"rel_one_no_cascade_required":"7nwo8tuiatetxdm"',
  '"rel_one_cascade":"mk5fmymtx4wsprk"',
  '"rel_many_no_cascade":["mk5fmymtx4wsprk"]',
  '"rel_many_no_cascade_required":["7nwo8tuiatetxdm","lcl9d87w22ml6jy"]',
  '"rel_many_cascade":["lcl9d87w22ml6jy"]',
];
