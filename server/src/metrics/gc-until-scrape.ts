/**
 * Garbage collections between a node's start and its first scrape. prom-client's default
 * collectors start observing GCs when they are registered, and the registry is built only at
 * the first scrape (metrics-registry.ts): this observer holds the collections seen before, as
 * prom-client's own would have counted them, and hands them to its `nodejs_gc_duration_seconds`
 * histogram once it exists, so that family counts from the node's start as it always did.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';

/** What prom-client's GC histogram is given per collection (lib/metrics/gc.js). */
export interface GcObservation {
  kind: string | undefined;
  seconds: number;
}

/** prom-client's names of the kinds (lib/metrics/gc.js). */
const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export class GcUntilScrape {
  private readonly held: GcObservation[] = [];
  private readonly observer: PerformanceObserver;

  constructor() {
    this.observer = new PerformanceObserver((list) => {
      // As prom-client does: the first entry of each notification.
      const entry = list.getEntries()[0];
      if (entry === undefined) return;
      const { detail } = entry as { detail?: { kind?: number } | null };
      this.held.push({ kind: detail?.kind === undefined ? undefined : KINDS[detail.kind], seconds: entry.duration / 1000 });
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Stops observing; the collections seen so far, oldest first. */
  drain(): GcObservation[] {
    this.observer.disconnect();
    return this.held.splice(0);
  }
}
