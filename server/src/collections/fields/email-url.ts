/** `email` and `url`: strings checked for format, with optional onlyDomains / exceptDomains lists. */
import { fieldError, type FieldError } from '../../shared/errors.ts';
import type { Field } from '../model.ts';
import type { FieldType, NormalizeResult } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { invalidEmailError, invalidUrlError, unsupportedTypeError } from './errors.ts';
import { checkStringList, collect, isDomain } from './options.ts';
import { asText, scalarText } from './values.ts';

/** RFC 5321's limit on a whole address. */
const MAX_EMAIL_LENGTH = 254;
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export const isEmail = (s: string): boolean => s.length <= MAX_EMAIL_LENGTH && EMAIL.test(s);

function validateDomains(field: Field): Record<string, FieldError> {
  const errors = collect({
    exceptDomains: checkStringList(field.exceptDomains, isDomain),
    onlyDomains: checkStringList(field.onlyDomains, isDomain),
  });
  if (field.exceptDomains?.length && field.onlyDomains?.length) {
    errors.onlyDomains = fieldError('validation_invalid_value', 'onlyDomains and exceptDomains cannot be used together.');
  }
  return errors;
}

function domainAllowed(domain: string, field: Field): boolean {
  const d = domain.toLowerCase();
  const has = (list: string[] | null | undefined) => (list ?? []).some((x) => x.toLowerCase() === d);
  if (field.onlyDomains?.length && !has(field.onlyDomains)) return false;
  if (field.exceptDomains?.length && has(field.exceptDomains)) return false;
  return true;
}

const coerceText = (value: unknown): NormalizeResult => {
  const text = typeof value === 'number' || typeof value === 'boolean' ? undefined : scalarText(value);
  return text === undefined ? { error: unsupportedTypeError() } : { value: text.trim() };
};

const common = {
  columnDefinition: () => "TEXT DEFAULT '' NOT NULL",
  defaults: (): Partial<Field> => ({ exceptDomains: null, onlyDomains: null }),
  validateDefinition: validateDomains,
  coerce: coerceText,
  toJSON: (value: unknown) => asText(value),
  zeroValue: () => '',
};

export const emailField: FieldType = defineFieldType({
  ...common,
  check: (value, field) => {
    const s = asText(value);
    if (!isEmail(s)) return invalidEmailError();
    if (!domainAllowed(s.slice(s.lastIndexOf('@') + 1), field)) {
      return fieldError('validation_email_domain_not_allowed', 'Email domain is not allowed.');
    }
    return undefined;
  },
});

export function parseUrl(s: string): URL | undefined {
  if (!URL.canParse(s)) return undefined;
  const url = new URL(s);
  return url.host !== '' && /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? url : undefined;
}

export const urlField: FieldType = defineFieldType({
  ...common,
  check: (value, field) => {
    const url = parseUrl(asText(value));
    if (!url) return invalidUrlError();
    if (!domainAllowed(url.host, field)) return fieldError('validation_url_domain_not_allowed', 'Url domain is not allowed.');
    return undefined;
  },
});
