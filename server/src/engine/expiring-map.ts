/**
 * Entries that lapse at `expiresAt`: the FIFO deduplication window and receive-request attempt
 * ids, both five minutes. Entries are added in time order (commands carry increasing `now`), so
 * the oldest is first and expiry pops from the front. Lookups ignore lapsed entries, so answers
 * are right even before housekeeping drops them.
 */
export interface Expiring {
  readonly expiresAt: number;
}

export class ExpiringMap<V extends Expiring> {
  readonly entries = new Map<string, V>();

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.expiresAt > now ? entry : undefined;
  }

  set(key: string, value: V): void {
    // Re-insert so the Map's order stays the order of expiry.
    this.entries.delete(key);
    this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Earliest expiry, if any entry is held. */
  nextExpiryAt(): number | undefined {
    for (const entry of this.entries.values()) return entry.expiresAt;
    return undefined;
  }

  /** Drops up to `limit` lapsed entries from the front; returns their keys. */
  removeExpired(now: number, limit: number): string[] {
    const removed: string[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now || removed.length >= limit) break;
      this.entries.delete(key);
      removed.push(key);
    }
    return removed;
  }

  clear(): void {
    this.entries.clear();
  }
}
