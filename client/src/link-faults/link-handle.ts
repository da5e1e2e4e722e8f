/**
 * `cluster.link(from, to)`: the faults on what node `from` sends node `to` (its requests to `to`
 * and its replies to `to`'s requests), set one kind at a time. Each call replaces that kind and
 * keeps the others: `latency(100)` then `loss(0.1)` gives both. The other direction is untouched.
 */
import { InvalidOptionError } from '../errors.js';
import type { ClusterLinks } from './cluster-links.js';
import { parseLinkFaultSpec } from './link-fault-spec.js';
import type { LinkFaultSpec } from './link-fault-spec.js';

export interface LatencyOptions {
  /** Each chunk's delay is drawn from `ms ± jitterMs` (seeded; chunks never overtake each other). */
  jitterMs?: number;
}

export interface LossOptions {
  /** The first retransmission timeout of a lost chunk, doubled per retry. Default 200 ms (Linux's minimum RTO). */
  retransmitMs?: number;
}

export class LinkHandle {
  constructor(
    private readonly links: ClusterLinks,
    readonly from: number,
    readonly to: number,
  ) {}

  /** What this link does now (the faults the test set; `{}` when healthy). */
  get faults(): LinkFaultSpec {
    return this.links.faultsOf(this.from, this.to);
  }

  /** Adds `ms` (± `jitterMs`) to every byte sent this way. `latency(0)` removes it. */
  latency(ms: number, options: LatencyOptions = {}): Promise<void> {
    return this.change({ latencyMs: ms, jitterMs: options.jitterMs ?? 0 });
  }

  /**
   * A share of TCP segments lost, as TCP lives it: each chunk is lost with chance `rate` (and
   * each retry again), and waits a retransmission timeout per loss, holding up what follows it on
   * its connection. Nothing is dropped for good. `loss(0)` removes it.
   */
  loss(rate: number, options: LossOptions = {}): Promise<void> {
    return this.change({ lossRate: rate, ...(options.retransmitMs === undefined ? { retransmitMs: undefined } : { retransmitMs: options.retransmitMs }) });
  }

  /** At most `bytesPerSecond` bytes a second this way; `bandwidth(undefined)` lifts the cap. */
  bandwidth(bytesPerSecond: number | undefined): Promise<void> {
    return this.change({ bytesPerSecond });
  }

  /**
   * Nothing passes this way (held, as by a network that loses every packet) until `heal()`.
   * `closeAfterMs`: each connection is then closed that long after the cut reached it (Toxiproxy's
   * `timeout`), as a stateful firewall dropping the flow would; without it connections stay open.
   */
  cut(options: { closeAfterMs?: number } = {}): Promise<void> {
    return this.change({ cut: true, closeAfterMs: options.closeAfterMs });
  }

  /** A close (FIN) sent this way arrives `ms` after the data before it (Toxiproxy's `slow_close`). `slowClose(0)` removes it. */
  slowClose(ms: number): Promise<void> {
    return this.change({ slowCloseMs: ms });
  }

  /** Every fault off this direction. */
  heal(): Promise<void> {
    return this.links.setFaults(this.from, this.to, {});
  }

  /** Ends every TCP connection between the two nodes now (both directions), as a reset would; resolves with how many. */
  reset(): Promise<number> {
    return this.links.reset(this.from, this.to);
  }

  private async change(change: LinkFaultSpec): Promise<void> {
    const merged: Record<string, unknown> = { ...this.faults, ...change };
    for (const [name, value] of Object.entries(merged)) if (value === undefined || value === false) delete merged[name];
    const parsed = parseLinkFaultSpec(merged);
    if ('error' in parsed) throw new InvalidOptionError(`link n${this.from} → n${this.to}: ${parsed.error}`);
    await this.links.setFaults(this.from, this.to, parsed.spec);
  }
}
