/**
 * The `:excerpt(max, withEllipsis?)` fields modifier: HTML → plain-text excerpt, as PocketBase
 * does — tags stripped, script/style-like elements dropped with their content, block elements
 * separated by a space, whitespace collapsed, cut to `max` code points. Linear in the input.
 */

/** Elements whose content is not text a reader would see (PocketBase's excludeTags). */
const EXCLUDED = new Set([
  'head', 'style', 'script', 'iframe', 'embed', 'applet', 'object', 'svg', 'img', 'picture',
  'dialog', 'template', 'button', 'form', 'textarea', 'input', 'select', 'option',
]);
/** Elements that do not break the text flow (PocketBase's inlineTags); others add a space. */
const INLINE = new Set([
  'a', 'abbr', 'acronym', 'b', 'bdo', 'big', 'br', 'button', 'cite', 'code', 'em', 'i', 'label',
  'q', 'small', 'span', 'strong', 'strike', 'sub', 'sup', 'time',
]);
/** Elements without a closing tag: never search for one. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)/y;

export function excerpt(html: string, maxLength: number, withEllipsis: boolean): string {
  // A code point is at most 2 UTF-16 units; stop collecting once we surely have enough.
  const text = htmlToText(html, maxLength * 2 + 2).trim();
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  const cut = chars.slice(0, maxLength).join('').trimEnd();
  return withEllipsis ? `${cut}...` : cut;
}

function htmlToText(html: string, budget: number): string {
  let out = '';
  const append = (chunk: string) => {
    const collapsed = chunk.replace(/\s+/g, ' ');
    out += out.endsWith(' ') || out === '' ? collapsed.replace(/^ /, '') : collapsed;
  };
  let i = 0;
  while (i < html.length && out.length <= budget) {
    const lt = html.indexOf('<', i);
    const textEnd = lt === -1 ? html.length : lt;
    if (textEnd > i) append(decodeEntities(html.slice(i, textEnd)));
    if (lt === -1) break;
    i = skipMarkup(html, lt, append);
  }
  return out;
}

/** Consumes the markup starting at `lt` (tag, comment or a stray `<`); returns where text resumes. */
function skipMarkup(html: string, lt: number, append: (s: string) => void): number {
  if (html.startsWith('<!--', lt)) return after(html, '-->', lt + 4);
  TAG.lastIndex = lt;
  const m = TAG.exec(html);
  if (!m) {
    if (html[lt + 1] === '!' || html[lt + 1] === '?' || html[lt + 1] === '/') return after(html, '>', lt);
    append('<');
    return lt + 1;
  }
  const end = after(html, '>', lt);
  const name = m[2]!.toLowerCase();
  const closing = m[1] === '/';
  if (!INLINE.has(name) && !EXCLUDED.has(name)) append(' ');
  const selfClosing = html[end - 2] === '/';
  if (closing || selfClosing || !EXCLUDED.has(name) || VOID.has(name)) return end;
  return skipToClose(html, name, end);
}

/** Index just past the next `needle` from `from`, or the end of input if there is none. */
function after(html: string, needle: string, from: number): number {
  const at = html.indexOf(needle, from);
  return at === -1 ? html.length : at + needle.length;
}

/** Skips an excluded element's content up to and including `</name>`. */
function skipToClose(html: string, name: string, from: number): number {
  let pos = from;
  for (;;) {
    const at = html.indexOf('</', pos);
    if (at === -1) return html.length;
    const candidate = html.slice(at + 2, at + 2 + name.length).toLowerCase();
    const next = html[at + 2 + name.length] ?? '';
    if (candidate === name && !/[A-Za-z0-9-]/.test(next)) return after(html, '>', at);
    pos = at + 2;
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,6});/g, (whole, body: string) => {
    if (body[0] !== '#') return Object.hasOwn(NAMED_ENTITIES, body.toLowerCase()) ? NAMED_ENTITIES[body.toLowerCase()]! : whole;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}
