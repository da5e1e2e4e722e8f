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
let cachedBytes = 0;

/** The payload's JSON bytes (`null` and `undefined` as "null"). */
export function payloadJson(payload: unknown): Buffer {
  if (payload === null || typeof payload !== 'object') return Buffer.from(JSON.stringify(payload ?? null));
  const known = cache.get(payload);
  if (known) return known;
  const encoded = Buffer.from(JSON.stringify(payload));
  cache.set(payload, encoded);
  cachedBytes += encoded.length;
  // Maps iterate in insertion order: the first key is the oldest.
  while (cache.size > MAX_CACHED_ENTRIES || cachedBytes > MAX_CACHED_BYTES) {
    const [oldest, bytes] = cache.entries().next().value as [object, Buffer];
    cache.delete(oldest);
    cachedBytes -= bytes.length;
  }
  return encoded;
}
