/** `editor`: rich text (HTML) stored as text, limited by `maxSize` bytes instead of characters. */
import type { FieldType } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { contentSizeError, unsupportedTypeError } from './errors.ts';
import { checkBool, checkInt, collect } from './options.ts';
import { asText, scalarText } from './values.ts';

/** PocketBase's default editor limit: 5 MiB keeps one record well under the request body limit. */
export const DEFAULT_EDITOR_MAX_SIZE = 5 << 20;

export const editorField: FieldType = defineFieldType({
  columnDefinition: () => "TEXT DEFAULT '' NOT NULL",
  defaults: () => ({ maxSize: 0, convertURLs: false }),
  validateDefinition: (field) => collect({ maxSize: checkInt(field.maxSize), convertURLs: checkBool(field.convertURLs) }),
  coerce: (value) => {
    const text = scalarText(value);
    return text === undefined ? { error: unsupportedTypeError() } : { value: text };
  },
  check: (value, field) => {
    const max = field.maxSize || DEFAULT_EDITOR_MAX_SIZE;
    return Buffer.byteLength(asText(value)) > max ? contentSizeError(max) : undefined;
  },
  toJSON: (value) => asText(value),
  zeroValue: () => '',
});
