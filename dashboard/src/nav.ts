/**
 * The sidebar's sections. A section whose screen is not built yet keeps `ready: false` and is
 * shown greyed out, so the layout does not move when it arrives; a ready one has its component
 * in shell.tsx's `screenFor`.
 */
export interface NavItem {
  route: string;
  label: string;
  ready: boolean;
}

export const NAV: NavItem[] = [
  { route: 'collections', label: 'Collections', ready: true },
  { route: 'superusers', label: 'Superusers', ready: true },
  { route: 'settings', label: 'Settings', ready: true },
  { route: 'logs', label: 'Logs', ready: true },
  { route: 'backups', label: 'Backups', ready: true },
  { route: 'metrics', label: 'Metrics', ready: true },
];
