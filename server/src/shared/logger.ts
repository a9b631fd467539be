/**
 * Structured logging: one JSON line per event (pino), quiet below the configured level. Lines
 * written while a request runs carry its `requestId` (bound with withLogContext), so an error
 * line on stdout matches the `X-Request-Id` header and the request's entry in /api/logs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
}

export interface LogContext {
  requestId: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs fn with `ctx` attached to every log line written during it (sync or async). */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.run(ctx, fn);
}

/** Errors become {err: {type, message, stack}}; other extras are logged under `extra`. */
function fields(extra: unknown): Record<string, unknown> | undefined {
  if (extra === undefined) return undefined;
  if (extra instanceof Error) return { err: extra };
  return { extra };
}

/** `sink` receives each line (without its newline); the default writes to stderr. */
export function createLogger(level: LogLevel = 'info', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const stream = { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) };
  const p = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
      mixin: () => context.getStore() ?? {},
    },
    stream,
  );
  const log = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, extra?: unknown) => {
    if (!p.isLevelEnabled(lvl)) return;
    const f = fields(extra);
    if (f) p[lvl](f, msg);
    else p[lvl](msg);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
