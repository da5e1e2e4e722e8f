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

  /** `fresh` the first time `key` is seen within the TTL (it is then remembered), `replayed`
   *  after that, `full` when the cap is reached (refused rather than forgetting a nonce early). */
  claim(key: string, nowMs: number): 'fresh' | 'replayed' | 'full' {
    this.sweep(nowMs);
    if (this.expiries.has(key)) return 'replayed';
    if (this.expiries.size >= this.maxEntries) return 'full';
    this.expiries.set(key, nowMs + this.ttlMs);
    return 'fresh';
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
