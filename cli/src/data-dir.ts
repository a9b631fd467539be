/** Resolves the data dir the same way `hearth serve` does (flag, then HEARTH_DIR, then ./hearth_data). */
import { loadConfig } from '@hearth/server';

export const resolveDir = (dir: string | undefined): string => loadConfig({ dir }).dir;

/** Turns an AppError-like failure into a one-line message with its field errors. */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) {
    const data = (err as { data?: Record<string, unknown> }).data;
    const details = data && Object.keys(data).length ? ` ${JSON.stringify(data)}` : '';
    return `${String((err as { message: unknown }).message)}${details}`;
  }
  return String(err);
}
