/**
 * admin/ — runtime settings (the `_params` table) in PocketBase's sections, rate-limit rule
 * labels, the test mail, backups, the request log (logs/) and metrics. May import db/, shared/
 * and domain constants (auth/); never http/. Entry points: createSettingsStore,
 * createBackupService, createObservability, findRateLimitRule.
 */
export {
  createSettingsStore,
  openSettingsStore,
  defaultSettings,
  rateLimitRules,
  authMailSettings,
  mailerSettings,
  type Settings,
  type SettingsStore,
  type RateLimitSetting,
  type S3Settings,
  type BatchSettings,
} from './settings.ts';
export { createBackupService, BACKUPS_DIR, STORAGE_DIR, TEMP_DIR, type BackupService, type BackupServiceDeps, type CreateBackupOptions } from './backup-service.ts';
export { createLocalBackupStore, type BackupStore, type BackupObject } from './backup-store.ts';
export { generateBackupName, isSafeKey, MAX_BACKUP_NAME_LENGTH } from './backup-names.ts';
export { createObservability, type Observability } from './observability.ts';
export { SETTINGS_SCHEMA, MAX_RATE_LIMIT_RULES, MAX_BATCH_REQUESTS_SETTING, MAX_BATCH_TIMEOUT_SECONDS } from './settings-schema.ts';
export { findRateLimitRule, requestLabels, collectionRouteTags, isRateLimitLabel, type LabelledRule, type RateLimitAudience } from './rate-limit-rules.ts';
export { sendTestEmail } from './test-email.ts';
export { createBackupSchedule, AUTO_BACKUP_PREFIX, type BackupSchedule, type BackupScheduleSettings } from './backup-schedule.ts';
export { createInstaller, newInstallToken, type Installer, type InstallRequest } from './install.ts';
export { exportSchema, schemaToJson, schemaToTs, parseSchemaDocument, DEFINE_SCHEMA_MODULE, type SchemaDocument, type SchemaCollection } from './schema-file.ts';
export { planSchema, type PlanStep, type StepKind } from './schema-plan.ts';
export { applySchema, type ApplyResult } from './schema-apply.ts';
export { createCollectionAdmin, type CollectionAdmin } from './collection-admin.ts';
export { importRecordBatch, exportRecordPages, describeFailure, IMPORT_BATCH_ROWS, EXPORT_PAGE_ROWS, type ImportRow, type RowFailure, type BatchResult } from './bulk-records.ts';
export { runSql, SQL_MAX_QUERY_LENGTH, type SqlRunner } from './sql-console.ts';
export { createSuperuserIps, type SuperuserIps } from './superuser-ips.ts';
