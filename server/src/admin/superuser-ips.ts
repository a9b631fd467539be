/**
 * The `superuserIPs` setting (PocketBase's): when the list is not empty, a superuser is refused
 * from any address outside it — on every route, at sign-in, over realtime, and for backup and
 * protected-file downloads by file token. Re-read whenever the settings change.
 */
import { ipListMatcher } from '../auth/index.ts';
import type { SettingsStore } from './settings.ts';

export interface SuperuserIps {
  /** True when a superuser may act from `ip` (always, while the list is empty). */
  allows(ip: string | undefined): boolean;
}

export function createSuperuserIps(settings: SettingsStore): SuperuserIps {
  let allows: (ip: string | undefined) => boolean = () => true;
  const apply = (): void => {
    const list = settings.get().superuserIPs;
    const inList = ipListMatcher(list);
    allows = list.length === 0 ? () => true : (ip) => ip !== undefined && inList(ip);
  };
  apply();
  settings.onChange(apply);
  return { allows: (ip) => allows(ip) };
}
