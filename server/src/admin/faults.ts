/**
 * Fault injection: the rules a test sets through `POST /faults` to cut or slow the traffic
 * between this node and chosen peers, or to make this node refuse SQS clients, without Docker.
 *
 * Body of `POST /faults` (it replaces the current rules; `DELETE /faults` heals everything):
 *
 *   {
 *     "isolate":   ["n2"],            // drop traffic to and from n2 (shorthand for both below)
 *     "dropTo":    ["n3"],            // drop what this node sends to n3
 *     "dropFrom":  ["n3"],            // drop what this node receives from n3
 *     "delayTo":   { "n2": 200 },     // hold messages to n2 for 200 ms
 *     "delayFrom": { "n2": 200 },     // hold messages from n2 for 200 ms
 *     "refuseClients": true           // answer every SQS request with 503 ServiceUnavailable
 *   }
 *
 * "Traffic" is every gRPC message between the nodes: votes, replication, snapshots and forwarded
 * client requests, so an isolated follower cannot reach the leader by forwarding either.
 */

export type Direction = 'to' | 'from';

export interface FaultSpec {
  isolate?: string[];
  dropTo?: string[];
  dropFrom?: string[];
  delayTo?: Record<string, number>;
  delayFrom?: Record<string, number>;
  refuseClients?: boolean;
}

/** What `GET /faults` shows: the rules in force, normalised. */
export interface FaultState {
  dropTo: string[];
  dropFrom: string[];
  delayTo: Record<string, number>;
  delayFrom: Record<string, number>;
  refuseClients: boolean;
}

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

const SPEC_KEYS = new Set(['isolate', 'dropTo', 'dropFrom', 'delayTo', 'delayFrom', 'refuseClients']);
const MAX_DELAY_MS = 60_000;

/** Checks an untrusted JSON body against the member list, so a typo fails loudly. */
export function parseFaultSpec(body: unknown, members: readonly string[]): FaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FaultSpecError('the body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!SPEC_KEYS.has(key)) throw new FaultSpecError(`unknown field "${key}"`);
  }
  const spec: FaultSpec = {};
  for (const key of ['isolate', 'dropTo', 'dropFrom'] as const) {
    if (input[key] !== undefined) spec[key] = peerList(key, input[key], members);
  }
  for (const key of ['delayTo', 'delayFrom'] as const) {
    if (input[key] !== undefined) spec[key] = delayMap(key, input[key], members);
  }
  if (input.refuseClients !== undefined) {
    if (typeof input.refuseClients !== 'boolean') throw new FaultSpecError('"refuseClients" must be a boolean');
    spec.refuseClients = input.refuseClients;
  }
  return spec;
}

function peerList(field: string, value: unknown, members: readonly string[]): string[] {
  if (!Array.isArray(value) || !value.every((peer) => typeof peer === 'string')) {
    throw new FaultSpecError(`"${field}" must be an array of node ids`);
  }
  for (const peer of value) checkMember(field, peer, members);
  return value;
}

function delayMap(field: string, value: unknown, members: readonly string[]): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaultSpecError(`"${field}" must be an object of node id → milliseconds`);
  }
  const delays: Record<string, number> = {};
  for (const [peer, ms] of Object.entries(value)) {
    checkMember(field, peer, members);
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_DELAY_MS) {
      throw new FaultSpecError(`"${field}.${peer}" must be an integer from 0 to ${MAX_DELAY_MS}`);
    }
    delays[peer] = ms;
  }
  return delays;
}

function checkMember(field: string, peer: string, members: readonly string[]): void {
  if (!members.includes(peer)) {
    throw new FaultSpecError(`"${field}" names "${peer}", which is not a member (${members.join(', ')})`);
  }
}

/** The rules in force on this node; the transport asks it about every message. */
export class FaultInjector {
  private state: FaultState = emptyState();

  set(spec: FaultSpec): FaultState {
    const isolate = spec.isolate ?? [];
    this.state = {
      dropTo: unique([...isolate, ...(spec.dropTo ?? [])]),
      dropFrom: unique([...isolate, ...(spec.dropFrom ?? [])]),
      delayTo: { ...spec.delayTo },
      delayFrom: { ...spec.delayFrom },
      refuseClients: spec.refuseClients ?? false,
    };
    return this.current();
  }

  clear(): FaultState {
    this.state = emptyState();
    return this.current();
  }

  current(): FaultState {
    return structuredClone(this.state);
  }

  drops(direction: Direction, peer: string): boolean {
    return (direction === 'to' ? this.state.dropTo : this.state.dropFrom).includes(peer);
  }

  /** Milliseconds to hold a message, 0 for none. */
  delayMs(direction: Direction, peer: string): number {
    return (direction === 'to' ? this.state.delayTo : this.state.delayFrom)[peer] ?? 0;
  }

  get refusesClients(): boolean {
    return this.state.refuseClients;
  }
}

function emptyState(): FaultState {
  return { dropTo: [], dropFrom: [], delayTo: {}, delayFrom: {}, refuseClients: false };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
