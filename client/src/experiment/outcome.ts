/**
 * How an SDK error becomes an outcome. Only what certainly did not happen is a `fail`: a 4xx
 * answer (SQS rejected the request, throttling included) or a connection that was never made.
 * A timeout, a 5xx (503 ServiceUnavailable: "it may or may not be applied") or a connection cut
 * after the request went out leaves the outcome `unknown` — a Jepsen "info", never a failure.
 */
import type { Outcome } from './history.js';

export interface ErrorOutcome {
  outcome: Exclude<Outcome, 'ok'>;
  /** The SQS error code, or the network error, with the HTTP status if there was one. */
  error: string;
}

/** Errors raised before a single byte of the request left: nothing can have happened. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function classifyError(error: unknown): ErrorOutcome {
  const details = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    cause?: { code?: unknown };
    $metadata?: { httpStatusCode?: unknown };
  };
  const name = typeof details.name === 'string' ? details.name : 'Error';
  if (name === 'AbortError' || name === 'TimeoutError') return { outcome: 'unknown', error: 'timeout' };
  const status = typeof details.$metadata?.httpStatusCode === 'number' ? details.$metadata.httpStatusCode : undefined;
  if (status !== undefined && status >= 500) return { outcome: 'unknown', error: `${name} (${status})` };
  if (status !== undefined && status >= 400) return { outcome: 'fail', error: `${name} (${status})` };
  const code = [details.code, details.cause?.code].find((value): value is string => typeof value === 'string');
  if (code && NEVER_SENT.has(code)) return { outcome: 'fail', error: code };
  return { outcome: 'unknown', error: code ?? name };
}

/** An entry of a batch answer's `Failed` list: `SenderFault: false` is the server's fault, outcome unknown. */
export function batchEntryOutcome(entry: { Code?: string; SenderFault?: boolean }): ErrorOutcome {
  return { outcome: entry.SenderFault === false ? 'unknown' : 'fail', error: entry.Code ?? 'Failed' };
}
