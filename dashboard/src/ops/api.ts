/**
 * The operations endpoints the dashboard reads (request logs, backups, metrics), as typed calls
 * over the SDK's `client.send` — same auth, timeout and error handling as every other call.
 */
import { client } from '../client.ts';

export interface LogEntry {
  id: string;
  created: string;
  /** PocketBase's levels: debug -4, info 0, warn 4, error 8. */
  level: number;
  message: string;
  data: Record<string, unknown>;
}

export interface LogsPage {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: LogEntry[];
}

export interface LogsStat {
  /** The hour, `YYYY-MM-DD HH:00:00.000Z`. */
  date: string;
  total: number;
}

export interface BackupInfo {
  key: string;
  size: number;
  modified: string;
}

const opt = (filter: string) => (filter ? { filter } : {});
const path = (key: string) => `/api/backups/${encodeURIComponent(key)}`;
/** Backups and restores of a big data dir take longer than the client's default timeout. */
const LONG = { timeout: 0 };

export const logsApi = {
  list: (q: { page: number; perPage: number; filter: string }) => client.send<LogsPage>('/api/logs', { query: { page: q.page, perPage: q.perPage, sort: '-created', ...opt(q.filter) } }),
  stats: (filter: string) => client.send<LogsStat[]>('/api/logs/stats', { query: opt(filter) }),
};

export const backupsApi = {
  list: () => client.send<BackupInfo[]>('/api/backups'),
  create: (name: string) => client.send('/api/backups', { method: 'POST', body: name ? { name } : {}, ...LONG }),
  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return client.send('/api/backups/upload', { method: 'POST', body: form, ...LONG });
  },
  restore: (key: string) => client.send(`${path(key)}/restore`, { method: 'POST', ...LONG }),
  delete: (key: string) => client.send(path(key), { method: 'DELETE' }),
  /** A download link: backups are fetched with a short-lived superuser file token in the URL. */
  downloadUrl: async (key: string) => {
    const { token } = await client.send<{ token: string }>('/api/files/token', { method: 'POST' });
    return `${client.url}${path(key)}?token=${encodeURIComponent(token)}`;
  },
};

export const metricsApi = {
  /** The Prometheus text exposition. */
  text: () => client.send<string>('/api/metrics'),
};
