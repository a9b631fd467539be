/**
 * admin/ — runtime settings (the `_params` table), backups, the request log (logs/) and
 * metrics. May import db/, shared/ and domain constants (auth/); never http/. Entry points:
 * createSettingsStore, createBackupService, createObservability.
 */
export {
  createSettingsStore,
  defaultSettings,
  rateLimitRules,
  authMailSettings,
  mailerSettings,
  type Settings,
  type SettingsStore,
  type RateLimitSetting,
} from './settings.ts';
export { createBackupService, BACKUPS_DIR, STORAGE_DIR, TEMP_DIR, type BackupService, type BackupServiceDeps, type CreateBackupOptions } from './backup-service.ts';
export { createLocalBackupStore, type BackupStore, type BackupObject } from './backup-store.ts';
export { generateBackupName, isSafeKey, MAX_BACKUP_NAME_LENGTH } from './backup-names.ts';
export { createObservability, type Observability } from './observability.ts';
