/**
 * What a degraded link does to the bytes one node sends another, in the manner of Toxiproxy's
 * toxics. It applies to a direction of travel (`from` → `to`), whichever node opened the TCP
 * connection: a's requests to b and a's replies to b's requests both travel a → b.
 *
 * TCP never loses or reorders what it delivers, so neither does this: `lossRate` is what a lost
 * segment costs TCP (a retransmission stall of the chunk and of everything behind it), jitter
 * varies each chunk's delay but never lets one overtake another, and a cut holds the bytes (the
 * sender's buffers fill, as when packets vanish) until the link heals or the sender gives up and
 * closes the connection (gRPC's keepalive does within about an election timeout).
 *
 * This file is also loaded by the proxy sidecar (link-proxy-main.ts): it imports nothing.
 */
export interface LinkFaultSpec {
  /** Added to every chunk's delivery, ms. */
  latencyMs?: number;
  /** Each chunk's delay is drawn from `latencyMs ± jitterMs` (never below 0, never overtaking). */
  jitterMs?: number;
  /** Chance that a chunk is "lost" and retransmitted (each retry may be lost again). 0 to 1. */
  lossRate?: number;
  /** The first retransmission timeout of a lost chunk, doubled per retry (Linux's minimum RTO: 200 ms). */
  retransmitMs?: number;
  /** At most this many bytes a second on the link. */
  bytesPerSecond?: number;
  /** Nothing passes (bytes are held, not dropped, like packets TCP retransmits after the cut heals). */
  cut?: boolean;
  /** With `cut`: each connection is closed this long after the cut reached it (Toxiproxy's `timeout`); without, it stays open. */
  closeAfterMs?: number;
  /** A sender's close (FIN) arrives this much later than its last data would (Toxiproxy's `slow_close`). */
  slowCloseMs?: number;
}

/** The retransmission timeout a lost chunk waits when the spec does not say (Linux's TCP_RTO_MIN). */
export const DEFAULT_RETRANSMIT_MS = 200;
/** A chunk is retried at most this often (TCP gives up far later; the stall is long by then). */
export const MAX_RETRANSMITS = 6;
const MAX_MS = 600_000;

/** The spec, checked (from JSON too), or what is wrong with it. */
export function parseLinkFaultSpec(value: unknown): { spec: LinkFaultSpec } | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'a link fault spec is an object' };
  const raw = value as Record<string, unknown>;
  const known = ['latencyMs', 'jitterMs', 'lossRate', 'retransmitMs', 'bytesPerSecond', 'cut', 'closeAfterMs', 'slowCloseMs'];
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length > 0) return { error: `unknown link fault ${unknown.map((key) => `"${key}"`).join(', ')} (known: ${known.join(', ')})` };
  const spec: LinkFaultSpec = {};
  const numbers: [keyof LinkFaultSpec, number, number][] = [
    ['latencyMs', 0, MAX_MS],
    ['jitterMs', 0, MAX_MS],
    ['lossRate', 0, 1],
    ['retransmitMs', 1, MAX_MS],
    ['bytesPerSecond', 1, Number.MAX_SAFE_INTEGER],
    ['closeAfterMs', 0, MAX_MS],
    ['slowCloseMs', 0, MAX_MS],
  ];
  for (const [key, min, max] of numbers) {
    const field = raw[key];
    if (field === undefined) continue;
    if (typeof field !== 'number' || !Number.isFinite(field) || field < min || field > max) {
      return { error: `${key} must be a number from ${min} to ${max}; got ${String(field)}` };
    }
    (spec as Record<string, number>)[key] = field;
  }
  if (raw.cut !== undefined) {
    if (typeof raw.cut !== 'boolean') return { error: `cut must be true or false; got ${String(raw.cut)}` };
    spec.cut = raw.cut;
  }
  return { spec };
}
