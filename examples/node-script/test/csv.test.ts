/** The CSV reader: RFC 4180 cases, and the same rows whichever way the input is split into chunks. */
import { describe, expect, it } from 'vitest';
import { CsvError, csvRows } from '../src/csv.ts';

async function read(chunks: string[]): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of csvRows(chunks)) rows.push(row);
  return rows;
}

const cases: Array<{ name: string; input: string; rows: string[][] }> = [
  { name: 'plain rows', input: 'a,b\n1,2\n', rows: [['a', 'b'], ['1', '2']] },
  { name: 'no final newline', input: 'a,b\n1,2', rows: [['a', 'b'], ['1', '2']] },
  { name: 'CRLF', input: 'a,b\r\n1,2\r\n', rows: [['a', 'b'], ['1', '2']] },
  { name: 'empty cells', input: ',x,\n', rows: [['', 'x', '']] },
  { name: 'quoted comma', input: '"a,b",c\n', rows: [['a,b', 'c']] },
  { name: 'escaped quote', input: '"say ""hi""",x\n', rows: [['say "hi"', 'x']] },
  { name: 'empty quoted', input: '"",x\n', rows: [['', 'x']] },
  { name: 'newline in quotes', input: '"line 1\nline 2",x\n', rows: [['line 1\nline 2', 'x']] },
  { name: 'blank lines skipped', input: 'a\n\n\nb\n', rows: [['a'], ['b']] },
  { name: 'BOM dropped', input: '\uFEFFid,name\n', rows: [['id', 'name']] },
  { name: 'quote inside unquoted field kept', input: 'a"b,c\n', rows: [['a"b', 'c']] },
  { name: 'unicode', input: 'Brontë,Machiavelli\n', rows: [['Brontë', 'Machiavelli']] },
];

describe('csvRows', () => {
  for (const c of cases) {
    it(c.name, async () => {
      expect(await read([c.input])).toEqual(c.rows);
    });
    it(`${c.name}, split at every position`, async () => {
      for (let i = 1; i < c.input.length; i++) {
        expect(await read([c.input.slice(0, i), c.input.slice(i)])).toEqual(c.rows);
      }
    });
  }

  it('rejects an unterminated quote', async () => {
    await expect(read(['a,"open\n'])).rejects.toBeInstanceOf(CsvError);
  });
});
