/**
 * One-line structured logs on stderr: `2026-01-01T00:00:00.000Z info  sqs listening url=http://…`.
 * Plain `key=value` pairs keep lines greppable by people and by the test harness alike.
 */
import type { LogLevel } from './config.js';

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry these fields (e.g. `component=storage`). */
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

const writeToStderr: LogSink = (line) => {
  process.stderr.write(line + '\n');
};

export function createLogger(level: LogLevel, sink: LogSink = writeToStderr, bound: LogFields = {}): Logger {
  const threshold = SEVERITY[level];
  const emit = (lineLevel: LogLevel, message: string, fields: LogFields = {}): void => {
    if (SEVERITY[lineLevel] > threshold) return;
    const pairs = formatFields({ ...bound, ...fields });
    sink(`${new Date().toISOString()} ${lineLevel.padEnd(5)} ${message}${pairs}`);
  };
  return {
    error: (message, fields) => emit('error', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    info: (message, fields) => emit('info', message, fields),
    debug: (message, fields) => emit('debug', message, fields),
    child: (fields) => createLogger(level, sink, { ...bound, ...fields }),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger('error', () => undefined);

function formatFields(fields: LogFields): string {
  let text = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const rendered = String(value);
    // Quote values with spaces so each line still splits cleanly into key=value pairs.
    text += ` ${key}=${/[\s"=]/.test(rendered) ? JSON.stringify(rendered) : rendered}`;
  }
  return text;
}
