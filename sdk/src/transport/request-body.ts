/**
 * Request bodies: plain JSON, or — when any value is a File/Blob — multipart/form-data where the
 * files are their own parts and every other field travels in one `@jsonPayload` JSON part
 * (the PocketBase SDK's convention, which the server understands).
 */

const hasBlob = typeof Blob !== 'undefined';

export const isBlob = (v: unknown): v is Blob => hasBlob && v instanceof Blob;

const isFileList = (v: unknown): v is Blob[] => Array.isArray(v) && v.length > 0 && v.every(isBlob);

/** True when the object carries at least one File/Blob (or a non-empty array of them). */
export function hasFiles(body: Record<string, unknown>): boolean {
  return Object.values(body).some((v) => isBlob(v) || isFileList(v));
}

/** Splits `body` into file parts (appended under `prefix + key`) and the JSON rest. */
export function splitFiles(body: Record<string, unknown>, form: FormData, prefix = ''): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (isBlob(value)) form.append(prefix + key, value);
    else if (isFileList(value)) for (const file of value) form.append(prefix + key, file);
    else if (value !== undefined) json[key] = value;
  }
  return json;
}

export function toFormData(body: Record<string, unknown>): FormData {
  const form = new FormData();
  const json = splitFiles(body, form);
  form.append('@jsonPayload', JSON.stringify(json));
  return form;
}

export interface EncodedBody {
  body: BodyInit | undefined;
  /** Content-Type to set; undefined lets fetch derive it (FormData boundary). */
  contentType: string | undefined;
}

/** Encodes what the caller passed: FormData/Blob/string as is, objects as JSON or multipart. */
export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined || body === null) return { body: undefined, contentType: undefined };
  if (typeof FormData !== 'undefined' && body instanceof FormData) return { body, contentType: undefined };
  if (isBlob(body) || typeof body === 'string' || body instanceof URLSearchParams) {
    return { body, contentType: undefined };
  }
  if (typeof body === 'object' && !Array.isArray(body) && hasFiles(body as Record<string, unknown>)) {
    return { body: toFormData(body as Record<string, unknown>), contentType: undefined };
  }
  return { body: JSON.stringify(body), contentType: 'application/json' };
}
