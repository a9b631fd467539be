/**
 * Request logs (`/api/logs`): requests per hour, a level picker and a filter box in the query
 * language (autocomplete of the log's fields, the server's error under it), a paged table newest
 * first, and the full entry in a dialog.
 */
import type { CollectionModel } from '@hearth/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ExpressionInput } from '../ui/expression-input.tsx';
import { ErrorBanner } from '../ui/form.tsx';
import { useSubmit } from '../ui/use-submit.ts';
import { logsApi, type LogEntry, type LogsPage, type LogsStat } from './api.ts';
import { LogDetail, levelName } from './log-detail.tsx';
import { LogsChart } from './logs-chart.tsx';

export const LOGS_PER_PAGE = 50;

/** What the filter box completes: the log's columns and the request fields of `data`. */
const LOG_FIELDS = ['id', 'created', 'level', 'message', 'data.type', 'data.method', 'data.url', 'data.status', 'data.execTime', 'data.auth', 'data.authId', 'data.userIP', 'data.remoteIP', 'data.referer', 'data.userAgent', 'data.error', 'data.requestId'];
const LOGS_MODEL = { id: '_logs', name: '_logs', type: 'base', fields: LOG_FIELDS.map((name) => ({ name, type: 'text' })) } as unknown as CollectionModel;

const LEVELS: Array<[string, string]> = [
  ['', 'All levels'],
  ['level >= 4', 'Warnings and errors'],
  ['level >= 8', 'Errors'],
];

/** The level choice and the typed filter as one expression. */
export const combineFilters = (...parts: string[]): string =>
  parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p, _, all) => (all.length > 1 ? `(${p})` : p))
    .join(' && ');

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function LogsScreen() {
  const [page, setPage] = useState(1);
  const [level, setLevel] = useState('');
  const [filterText, setFilterText] = useState('');
  const [filter, setFilter] = useState('');
  const [result, setResult] = useState<LogsPage | null>(null);
  const [stats, setStats] = useState<LogsStat[]>([]);
  const [open, setOpen] = useState<LogEntry | null>(null);
  const [reloads, setReloads] = useState(0);
  const query = combineFilters(level, filter);
  // Only the latest request's answer is shown (an older, slower one must not overwrite it).
  const latest = useRef(0);
  const load = useSubmit(async () => {
    const mine = ++latest.current;
    const answers = Promise.all([logsApi.list({ page, perPage: LOGS_PER_PAGE, filter: query }), logsApi.stats(query)]);
    const [list, hourly] = await answers.catch((err: unknown) => {
      if (mine === latest.current) throw err;
      return [null, null] as const;
    });
    if (mine !== latest.current || !list) return;
    setResult(list);
    setStats(hourly);
  });
  useEffect(() => void load.run(), [page, query, reloads]);
  const apply = () => (setPage(1), setFilter(filterText.trim()));
  const filterError = filter ? (load.error?.fields.filter ?? load.error?.message) : undefined;

  return (
    <section class="logs">
      <header class="page-head">
        <h1>Logs</h1>
        <button type="button" class="ghost" onClick={() => setReloads((n) => n + 1)} disabled={load.busy}>
          ↻ Refresh
        </button>
      </header>
      <LogsChart stats={stats} />
      <div class={filterError ? 'control invalid' : 'control'}>
        <div class="row">
          <select aria-label="Level" value={level} onChange={(e) => (setPage(1), setLevel(e.currentTarget.value))}>
            {LEVELS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
          <div class="grow">
            <ExpressionInput label="Filter" value={filterText} onInput={setFilterText} onSubmit={apply} collection={LOGS_MODEL} collections={[]} placeholder={'Filter, e.g. data.status >= 400 && data.url ~ "/api/collections" (Enter to apply)'} invalid={!!filterError} />
          </div>
          <button type="button" onClick={apply}>
            Apply
          </button>
        </div>
        {filterError && (
          <small class="field-error" role="alert" data-error-for="filter">
            {filterError}
          </small>
        )}
      </div>
      <ErrorBanner message={filterError ? null : load.error?.message} />
      <div class="table-wrap">
        <table class="grid">
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>Level</th>
              <th>Status</th>
              <th>Request</th>
              <th>Time taken</th>
              <th>Auth</th>
              <th>IP</th>
            </tr>
          </thead>
          <tbody>
            {(result?.items ?? []).map((entry) => (
              <tr key={entry.id} data-id={entry.id} tabIndex={0} onClick={() => setOpen(entry)} onKeyDown={(e) => e.key === 'Enter' && setOpen(entry)}>
                <td class="mono">{entry.created.replace(/\.\d+Z$/, 'Z')}</td>
                <td>
                  <span class={`level level-${levelName(entry.level)}`}>{levelName(entry.level)}</span>
                </td>
                <td>{str(entry.data.status)}</td>
                <td class="mono clip">{entry.message}</td>
                <td>{entry.data.execTime !== undefined ? `${str(entry.data.execTime)} ms` : ''}</td>
                <td>{str(entry.data.auth) || <span class="muted">guest</span>}</td>
                <td class="mono">{str(entry.data.userIP ?? entry.data.remoteIP)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result && result.items.length === 0 && <p class="muted center-text">No log entries{query ? ' match the filter' : ''}.</p>}
      </div>
      {result && (
        <nav class="row pager" aria-label="Pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            ← Newer
          </button>
          <span>
            Page {result.page} of {Math.max(1, result.totalPages)} · {result.totalItems} entries
          </span>
          <button type="button" disabled={page >= result.totalPages} onClick={() => setPage(page + 1)}>
            Older →
          </button>
        </nav>
      )}
      {open && <LogDetail entry={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
