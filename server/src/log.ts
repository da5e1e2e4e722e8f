/**
 * One-line structured logs on stderr, in one of two formats:
 * - `text` (default): `2026-01-01T00:00:00.000Z info  sqs listening url=http://…` — plain
 *   `key=value` pairs keep lines greppable by people and by the test harness alike;
 * - `json`: one object per line, `{"time":…,"level":"info","msg":"sqs listening","url":…}`, the
 *   shape log shippers (Loki, Elasticsearch, CloudWatch) parse without a pattern.
 */
import type { LogFormat, LogLevel } from './config.js';

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

export interface LoggerOptions {
  level: LogLevel;
  format?: LogFormat;
  sink?: LogSink;
}

type FormatLine = (time: string, level: LogLevel, message: string, fields: LogFields) => string;

const FORMATS: Record<LogFormat, FormatLine> = {
  text: (time, level, message, fields) => `${time} ${level.padEnd(5)} ${message}${formatPairs(fields)}`,
  // time, level and msg lead every line, and are set again last so a field named like one of
  // them cannot replace it.
  json: (time, level, message, fields) => {
    const own = { time, level, msg: message };
    return JSON.stringify(Object.assign({ ...own }, fields, own));
  },
};

export function createLogger(options: LogLevel | LoggerOptions, sink?: LogSink, bound: LogFields = {}): Logger {
  const { level, format = 'text', sink: ownSink } = typeof options === 'string' ? { level: options } : options;
  const write = sink ?? ownSink ?? writeToStderr;
  const threshold = SEVERITY[level];
  const line = FORMATS[format];
  const emit = (lineLevel: LogLevel, message: string, fields: LogFields = {}): void => {
    if (SEVERITY[lineLevel] > threshold) return;
    write(line(new Date().toISOString(), lineLevel, message, { ...bound, ...fields }));
  };
  return {
    error: (message, fields) => emit('error', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    info: (message, fields) => emit('info', message, fields),
    debug: (message, fields) => emit('debug', message, fields),
    child: (fields) => createLogger({ level, format }, write, { ...bound, ...fields }),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger('error', () => undefined);

function formatPairs(fields: LogFields): string {
  let text = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const rendered = String(value);
    // Quote values with spaces so each line still splits cleanly into key=value pairs.
    text += ` ${key}=${/[\s"=]/.test(rendered) ? JSON.stringify(rendered) : rendered}`;
  }
  return text;
}
