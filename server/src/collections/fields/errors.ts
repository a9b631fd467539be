/** Field-level errors with PocketBase's codes and message texts, so clients can match on them. */
import { fieldError, type FieldError } from '../../shared/errors.ts';

export const requiredError = (): FieldError => fieldError('validation_required', 'Missing required value.');

export const unsupportedTypeError = (): FieldError =>
  fieldError('validation_unsupported_value_type', 'Invalid or unsupported value type.');

export const minTextError = (min: number): FieldError =>
  fieldError('validation_min_text_constraint', `Must be at least ${min} character(s).`);

export const maxTextError = (max: number): FieldError =>
  fieldError('validation_max_text_constraint', `Must be no more than ${max} character(s).`);

export const invalidFormatError = (): FieldError => fieldError('validation_invalid_format', 'Invalid value format.');

export const invalidNumberError = (): FieldError =>
  fieldError('validation_invalid_number', 'Must be a valid number.');

export const minNumberError = (min: number): FieldError =>
  fieldError('validation_min_number_constraint', `Must be greater or equal than ${min}.`);

export const maxNumberError = (max: number): FieldError =>
  fieldError('validation_max_number_constraint', `Must be less or equal than ${max}.`);

export const onlyIntError = (): FieldError =>
  fieldError('validation_only_int_constraint', 'Decimal numbers are not allowed.');

export const invalidBoolError = (): FieldError => fieldError('validation_invalid_bool', 'Must be a valid boolean.');

export const invalidEmailError = (): FieldError => fieldError('validation_is_email', 'Must be a valid email address.');

export const invalidUrlError = (): FieldError => fieldError('validation_invalid_url', 'Must be a valid url.');

export const invalidDateError = (): FieldError => fieldError('validation_invalid_date', 'Must be a valid date.');

export const tooManyValuesError = (max: number): FieldError =>
  fieldError('validation_too_many_values', `Select no more than ${max}.`);

export const notEnoughValuesError = (min: number): FieldError =>
  fieldError('validation_not_enough_values', `Select at least ${min}.`);

export const invalidValueError = (value: string): FieldError =>
  fieldError('validation_invalid_value', `Invalid value ${value}.`);

export const invalidJsonError = (): FieldError => fieldError('validation_invalid_json', 'Must be a valid json value.');

export const jsonSizeError = (maxSize: number): FieldError =>
  fieldError('validation_json_size_limit', `The maximum allowed JSON size is ${maxSize} bytes.`);

export const contentSizeError = (maxSize: number): FieldError =>
  fieldError('validation_content_size_limit', `The maximum allowed content size is ${maxSize} bytes.`);
