/**
 * The busy/error/submit scaffolding every form and action button shares: `run(...)` clears the
 * last error, marks the form busy, awaits the action and keeps what went wrong as a ShownError
 * (message + per-field messages); `onSubmit` is `run()` for a <form> (default prevented).
 */
import { useState } from 'preact/hooks';
import { showError, type ShownError } from '../errors.ts';

export interface Submit<A extends unknown[]> {
  busy: boolean;
  error: ShownError | null;
  /** For errors found before the request (local validation), or to clear one. */
  setError: (error: ShownError | null) => void;
  /** Runs the action; resolves true when it succeeded (never rejects). */
  run: (...args: A) => Promise<boolean>;
  onSubmit: (e: Event) => void;
}

export function useSubmit<A extends unknown[] = []>(action: (...args: A) => Promise<unknown>, onError?: (error: ShownError) => void): Submit<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const run = async (...args: A): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
      return true;
    } catch (err) {
      const shown = showError(err);
      setError(shown);
      onError?.(shown);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void run(...([] as unknown as A));
  };
  return { busy, error, setError, run, onSubmit };
}

/** The error to show in a form's banner: its message, unless a field already shows it. */
export const bannerMessage = (error: ShownError | null): string | null => (error && Object.keys(error.fields).length === 0 ? error.message : null);
