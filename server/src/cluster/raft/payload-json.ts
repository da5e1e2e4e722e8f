/**
 * Entry payloads as UTF-8 JSON, encoded once per entry.
 *
 * A leader needs a payload's encoding more than once — to measure it for its log's byte budget and
 * to put it on the wire to every follower. Stringifying each time was a visible share of a
 * cluster's CPU per message, so encodings are remembered by payload object. Only the most recent ones are kept: appends go out (and arrive)
 * right after the entry is created, and a bounded cache cannot double the memory of a log that
 * retains thousands of large entries.
 */

const MAX_CACHED_ENTRIES = 4096;
const MAX_CACHED_BYTES = 32 * 1024 * 1024;

const cache = new Map<object, Buffer>();
/**
 * The cached payloads oldest first, from `oldest` on (slots before it are already evicted).
 * Why not `cache.keys().next()` for the oldest: a Map keeps deleted entries as holes at its
 * front until it rehashes, and every such call steps over all of them — with the cache full,
 * each new entry's eviction scanned thousands of holes: 2.4 µs per entry, half of this function's
 * cost on a leader (2026-12-04 profile).
 */
let order: object[] = [];
let oldest = 0;
let cachedBytes = 0;

/** The payload's JSON bytes (`null` and `undefined` as "null"). */
export function payloadJson(payload: unknown): Buffer {
  if (payload === null || typeof payload !== 'object') return Buffer.from(JSON.stringify(payload ?? null));
  const known = cache.get(payload);
  if (known) return known;
  const encoded = Buffer.from(JSON.stringify(payload));
  cache.set(payload, encoded);
  order.push(payload);
  cachedBytes += encoded.length;
  while (cache.size > MAX_CACHED_ENTRIES || cachedBytes > MAX_CACHED_BYTES) evictOldest();
  return encoded;
}

function evictOldest(): void {
  const payload = order[oldest]!;
  cachedBytes -= cache.get(payload)!.length;
  cache.delete(payload);
  oldest++;
  // Drop the evicted slots once they are as many as the live ones: amortized O(1) per entry.
  if (oldest >= MAX_CACHED_ENTRIES) {
    order = order.slice(oldest);
    oldest = 0;
  }
}
