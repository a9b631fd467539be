/**
 * The one way query/ reports bad input: an AppError with code 'bad_request' whose message names
 * the parameter (filter, sort, expand, fields), the problem and, where known, the position.
 */
import { badRequest, type AppError } from '../shared/errors.ts';

export type QueryParam = 'filter' | 'sort' | 'expand' | 'fields';

const LABEL: Record<QueryParam, string> = {
  filter: 'Invalid filter',
  sort: 'Invalid sort',
  expand: 'Invalid expand',
  fields: 'Invalid fields',
};

/**
 * `queryError('filter', 'unexpected ")"', 12)` → 400 `Invalid filter: unexpected ")" at position 12`.
 * Positions are 0-based offsets into the text as given; `hint` follows them (`; expected …`).
 */
export function queryError(param: QueryParam, problem: string, position?: number, hint?: string): AppError {
  const where = position === undefined ? '' : ` at position ${position}`;
  return badRequest(`${LABEL[param]}: ${problem}${where}${hint ? `; ${hint}` : ''}`);
}

/** Shows a piece of user input in a message: quoted, and cut so an error never echoes kilobytes. */
export function quote(text: string): string {
  const MAX_ECHO = 40; // enough to recognise the token, short enough for a log line
  const cut = text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
  return JSON.stringify(cut);
}
