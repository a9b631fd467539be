/**
 * Backup file names. New backups are named like PocketBase's (`^[a-z0-9_-]+\.zip$`, at most
 * 150 characters); existing keys (uploads, `@auto_…` scheduled ones) only need to be one safe
 * file name inside the backups folder.
 */
import { fieldError, validationError, type AppError } from '../shared/errors.ts';

/** PocketBase's limit for a chosen backup name. */
export const MAX_BACKUP_NAME_LENGTH = 150;
const NEW_NAME = /^[a-z0-9_-]+\.zip$/;

/** A name for a new backup; returns the field error to report, or null. */
export function newNameError(name: string): AppError | null {
  if (name.length > MAX_BACKUP_NAME_LENGTH) {
    return validationError('An error occurred while validating the submitted data.', {
      name: fieldError('validation_length_out_of_range', `The length must be between 1 and ${MAX_BACKUP_NAME_LENGTH}.`),
    });
  }
  if (!NEW_NAME.test(name)) {
    return validationError('An error occurred while validating the submitted data.', {
      name: fieldError('validation_match_invalid', 'Must be in a valid format: lowercase letters, digits, _ or -, ending in .zip.'),
    });
  }
  return null;
}

/** True when `key` is one plain file name (no separators, no dot-only names, no control characters). */
export function isSafeKey(key: string): boolean {
  // eslint-disable-next-line no-control-regex
  return key.length > 0 && key.length <= 255 && key !== '.' && key !== '..' && !/[/\\\u0000-\u001f]/.test(key);
}

/** `<prefix><app_name>_<UTC yyyymmddhhmmss>.zip`, as PocketBase names generated backups. */
export function generateBackupName(appName: string, prefix = 'pb_backup_', now = new Date()): string {
  const snake = appName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
    .slice(0, 50);
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${prefix}${snake}_${stamp}.zip`;
}
