/**
 * Logs refused peer calls without letting an outsider flood the log: the first refusal is logged
 * at once, later ones at most once per interval, with how many were refused since.
 */
import type { LogFields, Logger } from '../../log.js';

export class RefusalLog {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  refused(fields: LogFields): void {
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.logger.warn('peer call refused', { ...fields, ...(this.suppressed > 0 ? { alsoRefusedSinceLastLine: this.suppressed } : {}) });
    this.lastLoggedAt = now;
    this.suppressed = 0;
  }
}
