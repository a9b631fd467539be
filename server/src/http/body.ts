/**
 * Request bodies: JSON, urlencoded, or multipart/form-data (the PocketBase SDK sends non-file
 * fields in a `@jsonPayload` part). Malformed input is a 400; non-object JSON is a 400.
 */
import type { Context } from 'hono';
import { badRequest, isAppError } from '../shared/errors.ts';
import { parseJsonBounded } from '../shared/json.ts';

export type Body = Record<string, unknown>;

const invalidBody = (detail: string) => badRequest(`Invalid request body: ${detail}`);

function asObject(value: unknown): Body {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidBody('expected a JSON object.');
  return value as Body;
}

export async function readBody(c: Context): Promise<Body> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    let form: Record<string, unknown>;
    try {
      form = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    } catch {
      throw invalidBody('malformed form data.');
    }
    const out: Body = {};
    for (const [key, value] of Object.entries(form)) {
      if (key === '@jsonPayload') {
        for (const part of Array.isArray(value) ? value : [value]) {
          Object.assign(out, asObject(parseJson(String(part))));
        }
      } else {
        out[key] = value;
      }
    }
    return out;
  }
  return jsonBody(await c.req.text());
}

/** A JSON request body's text as the record routes take it: blank is `{}`, else one object. */
export function jsonBody(text: string): Body {
  if (text.trim() === '') return {};
  return asObject(parseJson(text));
}

function parseJson(text: string): unknown {
  try {
    return parseJsonBounded(text, 'request body');
  } catch (err) {
    if (isAppError(err)) throw err;
    throw invalidBody('malformed JSON.');
  }
}
