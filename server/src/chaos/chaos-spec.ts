/**
 * SQS's own failure modes, on demand: what a node's chaos rules may say (admin `POST /chaos`,
 * config key `chaos`, flag `--chaos`, `REPLIMQ_CHAOS`), checked once here. Off unless set.
 *
 *   {
 *     "seed": 42,                                        // every draw comes from this seed
 *     "errors":  [{ "actions": ["SendMessage"], "rate": 0.05, "error": "ServiceUnavailable", "when": "before" }],
 *     "latency": [{ "actions": ["ReceiveMessage"], "rate": 0.2, "minMs": 50, "maxMs": 400 }],
 *     "duplicates":      { "rate": 0.01 },               // a received message delivered again later
 *     "reorder":         { "rate": 0.2 },                // a receive's messages in another order
 *     "emptyShortPolls": { "rate": 0.3 },                // a short poll answered empty
 *     "earlyVisibility": { "rate": 0.01, "minShare": 0.1, "maxShare": 0.9 }  // visible again within 10–90% of its timeout
 *   }
 *
 * `duplicates`, `reorder` and `earlyVisibility` spare FIFO queues unless `"fifo": true` is given:
 * FIFO's order and exactly-once guarantees hold unless a test asks to break them.
 */
import { ACTION_NAMES } from '../engine/actions.js';
import type { ActionName } from '../engine/actions.js';

/** The errors real SQS answers when it is unwell or throttling (SQS API reference, Common Errors). */
export const CHAOS_ERRORS = ['InternalFailure', 'ServiceUnavailable', 'ThrottlingException', 'RequestThrottled'] as const;
export type ChaosErrorCode = (typeof CHAOS_ERRORS)[number];

export interface ChaosErrorRule {
  /** Actions it applies to; default every action. */
  actions?: ActionName[];
  /** Share of matching requests answered with the error, 0 to 1. */
  rate: number;
  error: ChaosErrorCode;
  /** `before` (default): the action is not carried out. `after`: it is, and the answer is lost — as a real 5xx may be. */
  when?: 'before' | 'after';
}

export interface ChaosLatencyRule {
  actions?: ActionName[];
  /** Share of matching requests slowed; default 1. */
  rate?: number;
  minMs: number;
  maxMs: number;
}

export interface ChaosRate {
  rate: number;
  /** Apply to FIFO queues too (breaks their guarantees, on purpose). Default false. */
  fifo?: boolean;
}

export interface ChaosSpec {
  seed?: number;
  errors?: ChaosErrorRule[];
  latency?: ChaosLatencyRule[];
  duplicates?: ChaosRate;
  reorder?: ChaosRate;
  emptyShortPolls?: { rate: number };
  earlyVisibility?: ChaosRate & {
    /** When, as a share of the visibility timeout, the message becomes visible again; default 0.1 to 0.9. */
    minShare?: number;
    maxShare?: number;
  };
}

export class ChaosSpecError extends Error {
  override readonly name = 'ChaosSpecError';
}

const KEYS = new Set(['seed', 'errors', 'latency', 'duplicates', 'reorder', 'emptyShortPolls', 'earlyVisibility']);
const MAX_LATENCY_MS = 60_000;

/** Checks untrusted JSON; the result is a fresh, normalised object. */
export function parseChaosSpec(body: unknown): ChaosSpec {
  const input = object('the chaos rules', body);
  for (const key of Object.keys(input)) if (!KEYS.has(key)) throw new ChaosSpecError(`unknown field "${key}"`);
  const spec: ChaosSpec = {};
  if (input.seed !== undefined) {
    if (typeof input.seed !== 'number' || !Number.isSafeInteger(input.seed) || input.seed < 0) throw new ChaosSpecError('"seed" must be a non-negative integer');
    spec.seed = input.seed;
  }
  if (input.errors !== undefined) spec.errors = list('errors', input.errors).map((rule, index) => errorRule(`errors[${index}]`, rule));
  if (input.latency !== undefined) spec.latency = list('latency', input.latency).map((rule, index) => latencyRule(`latency[${index}]`, rule));
  for (const key of ['duplicates', 'reorder', 'earlyVisibility'] as const) {
    if (input[key] === undefined) continue;
    const rule = object(`"${key}"`, input[key]);
    only(key, rule, key === 'earlyVisibility' ? ['rate', 'fifo', 'minShare', 'maxShare'] : ['rate', 'fifo']);
    spec[key] = { rate: rate(`${key}.rate`, rule.rate), ...(rule.fifo === undefined ? {} : { fifo: boolean(`${key}.fifo`, rule.fifo) }) };
  }
  if (spec.earlyVisibility) {
    const rule = input.earlyVisibility as Record<string, unknown>;
    const minShare = rule.minShare === undefined ? 0.1 : rate('earlyVisibility.minShare', rule.minShare);
    const maxShare = rule.maxShare === undefined ? 0.9 : rate('earlyVisibility.maxShare', rule.maxShare);
    if (maxShare < minShare) throw new ChaosSpecError('earlyVisibility.maxShare must not be below minShare');
    spec.earlyVisibility = { ...spec.earlyVisibility, minShare, maxShare };
  }
  if (input.emptyShortPolls !== undefined) {
    const rule = object('"emptyShortPolls"', input.emptyShortPolls);
    only('emptyShortPolls', rule, ['rate']);
    spec.emptyShortPolls = { rate: rate('emptyShortPolls.rate', rule.rate) };
  }
  return spec;
}

function errorRule(where: string, value: unknown): ChaosErrorRule {
  const rule = object(where, value);
  only(where, rule, ['actions', 'rate', 'error', 'when']);
  if (!(CHAOS_ERRORS as readonly unknown[]).includes(rule.error)) throw new ChaosSpecError(`${where}.error must be one of ${CHAOS_ERRORS.join(', ')}`);
  if (rule.when !== undefined && rule.when !== 'before' && rule.when !== 'after') throw new ChaosSpecError(`${where}.when must be "before" or "after"`);
  return {
    ...(rule.actions === undefined ? {} : { actions: actions(where, rule.actions) }),
    rate: rate(`${where}.rate`, rule.rate),
    error: rule.error as ChaosErrorCode,
    ...(rule.when === undefined ? {} : { when: rule.when }),
  };
}

function latencyRule(where: string, value: unknown): ChaosLatencyRule {
  const rule = object(where, value);
  only(where, rule, ['actions', 'rate', 'minMs', 'maxMs']);
  const minMs = milliseconds(`${where}.minMs`, rule.minMs);
  const maxMs = milliseconds(`${where}.maxMs`, rule.maxMs);
  if (maxMs < minMs) throw new ChaosSpecError(`${where}.maxMs must not be below minMs`);
  return {
    ...(rule.actions === undefined ? {} : { actions: actions(where, rule.actions) }),
    ...(rule.rate === undefined ? {} : { rate: rate(`${where}.rate`, rule.rate) }),
    minMs,
    maxMs,
  };
}

function actions(where: string, value: unknown): ActionName[] {
  if (!Array.isArray(value) || value.length === 0) throw new ChaosSpecError(`${where}.actions must be a non-empty array of SQS action names`);
  for (const action of value) {
    if (!(ACTION_NAMES as readonly unknown[]).includes(action)) throw new ChaosSpecError(`${where}.actions: "${String(action)}" is not an SQS action`);
  }
  return [...value] as ActionName[];
}

function object(what: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ChaosSpecError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function list(what: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new ChaosSpecError(`"${what}" must be an array`);
  return value;
}

function only(where: string, rule: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of Object.keys(rule)) if (!keys.includes(key)) throw new ChaosSpecError(`${where}: unknown field "${key}"`);
}

function rate(where: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new ChaosSpecError(`${where} must be a number from 0 to 1`);
  return value;
}

function milliseconds(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_LATENCY_MS) {
    throw new ChaosSpecError(`${where} must be an integer from 0 to ${MAX_LATENCY_MS}`);
  }
  return value;
}

function boolean(where: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ChaosSpecError(`${where} must be true or false`);
  return value;
}
