/**
 * A streaming CSV reader (RFC 4180): commas, quoted fields with `""` escapes, line breaks inside
 * quotes, CRLF or LF, a leading BOM. Rows are yielded as they complete, so big files stream.
 */

export class CsvError extends Error {
  override name = 'CsvError';
}

export async function* csvRows(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string[]> {
  let field = '';
  let row: string[] = [];
  let quoted = false;
  /** Inside quotes we saw `"`: either the closing quote or the first half of `""`. */
  let quoteSeen = false;
  let atStart = true;
  let fieldStarted = false;

  for await (let chunk of chunks) {
    if (atStart) {
      chunk = chunk.replace(/^\uFEFF/, '');
      atStart = false;
    }
    const done: string[][] = [];
    for (const c of chunk) {
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          quoted = false; // the quote closed the field; handle c below as unquoted
        } else if (c === '"') {
          quoteSeen = true;
          continue;
        } else {
          field += c;
          continue;
        }
      }
      if (c === '"' && !fieldStarted) {
        quoted = fieldStarted = true;
      } else if (c === ',') {
        row.push(field);
        field = '';
        fieldStarted = false;
      } else if (c === '\n') {
        row.push(field);
        if (row.length > 1 || row[0] !== '') done.push(row); // skip blank lines
        row = [];
        field = '';
        fieldStarted = false;
      } else if (c !== '\r') {
        field += c;
        fieldStarted = true;
      }
    }
    yield* done;
  }
  if (quoted && !quoteSeen) throw new CsvError('Unterminated quoted field at the end of the file.');
  if (fieldStarted || row.length > 0) yield [...row, field];
}
