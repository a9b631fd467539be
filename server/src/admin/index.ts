/**
 * admin/ — runtime settings (the `_params` table); later logs, backups and metrics. May import
 * db/, shared/ and domain constants (auth/); never http/. Entry point: createSettingsStore.
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
