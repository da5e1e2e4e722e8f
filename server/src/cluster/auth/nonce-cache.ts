/**
 * The nonces of credentials accepted recently, so that none is accepted twice. A credential is
 * valid while its timestamp is within the window of the receiver's clock, so a nonce must be
 * remembered for two windows after it was accepted; entries are swept in acceptance order, which
 * is also expiry order. Only credentials with a valid MAC reach the cache, so outsiders cannot
 * fill it; the cap bounds what even a member can make it hold.
 */
export class NonceCache {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** True the first time `key` is seen within the TTL; false for a replay (or a full cache). */
  claim(key: string, nowMs: number): boolean {
    this.sweep(nowMs);
    if (this.expiries.has(key) || this.expiries.size >= this.maxEntries) return false;
    this.expiries.set(key, nowMs + this.ttlMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(nowMs: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > nowMs) return;
      this.expiries.delete(key);
    }
  }
}
