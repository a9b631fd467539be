/**
 * The sidebar's sections. A screen that arrives with a new API (request logs, backups, metrics)
 * sets `ready: true` and adds its component in shell.tsx's `screenFor`; until then it is shown
 * greyed out so the layout does not move.
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
  { route: 'logs', label: 'Logs', ready: false },
  { route: 'backups', label: 'Backups', ready: false },
  { route: 'metrics', label: 'Metrics', ready: false },
];
