/** One log entry in full: its columns and every `data` key (objects as JSON), in a dialog. */
import { Modal } from '../ui/modal.tsx';
import type { LogEntry } from './api.ts';

/** PocketBase's level numbers (Go's slog) by name; in-between values round down. */
export function levelName(level: number): string {
  if (level >= 8) return 'error';
  if (level >= 4) return 'warn';
  if (level >= 0) return 'info';
  return 'debug';
}

const shown = (v: unknown): string => (v !== null && typeof v === 'object' ? JSON.stringify(v, null, 2) : String(v));

export function LogDetail(props: { entry: LogEntry; onClose: () => void }) {
  const { entry } = props;
  const rows: Array<[string, unknown]> = [
    ['id', entry.id],
    ['created', entry.created],
    ['level', `${entry.level} (${levelName(entry.level)})`],
    ['message', entry.message],
    ...Object.entries(entry.data).map(([k, v]): [string, unknown] => [`data.${k}`, v]),
  ];
  return (
    <Modal title="Log entry" onClose={props.onClose} wide>
      <dl class="log-detail">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt class="mono">{k}</dt>
            <dd>{v !== null && typeof v === 'object' ? <pre>{shown(v)}</pre> : <span class="mono">{shown(v)}</span>}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
