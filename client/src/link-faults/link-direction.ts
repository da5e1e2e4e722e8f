/**
 * One direction of travel between two nodes (`from` → `to`) and the faults on it, and the flows
 * that carry its bytes: one per TCP connection, whichever node opened it. A flow takes what its
 * source socket reads, gives each chunk a delivery time (latency ± jitter, retransmission
 * stalls, the link's bandwidth) and writes it to its sink in order once due. Delivery times are
 * drawn from the direction's own seeded generator, so the same seed gives the same draws.
 *
 * Loaded by the proxy sidecar too: imports only node built-ins and the seeded generator.
 */
import type { Socket } from 'node:net';
import { Prng } from '../experiment/prng.js';
import { DEFAULT_RETRANSMIT_MS, MAX_RETRANSMITS } from './link-fault-spec.js';
import type { LinkFaultSpec } from './link-fault-spec.js';

/** Above this many bytes waiting in a flow, its source is paused (the sender's TCP buffers fill instead). */
const HIGH_WATER_BYTES = 1 << 20;

export class LinkDirection {
  private spec: LinkFaultSpec = {};
  /** When the link finishes sending what it was given so far (bandwidth). */
  private busyUntil = 0;
  private readonly flows = new Set<Flow>();

  constructor(
    readonly from: string,
    readonly to: string,
    private readonly prng: Prng,
  ) {}

  get faults(): LinkFaultSpec {
    return { ...this.spec };
  }

  get cut(): boolean {
    return this.spec.cut === true;
  }

  /** How long a cut connection stays open, if the cut closes it. */
  get closeAfterMs(): number | undefined {
    return this.spec.cut ? this.spec.closeAfterMs : undefined;
  }

  get slowCloseMs(): number {
    return this.spec.slowCloseMs ?? 0;
  }

  get connections(): number {
    return this.flows.size;
  }

  setFaults(spec: LinkFaultSpec): void {
    this.spec = { ...spec };
    if (spec.bytesPerSecond === undefined) this.busyUntil = 0;
    for (const flow of this.flows) flow.faultsChanged();
  }

  /**
   * When a chunk of `bytes` read at `now` reaches the other side, if the one before it on the same
   * connection arrives at `after`. Never before `after`: TCP delivers in order.
   */
  deliveryTime(now: number, bytes: number, after: number): number {
    const { latencyMs = 0, jitterMs = 0, lossRate = 0, bytesPerSecond } = this.spec;
    let delay = latencyMs;
    if (jitterMs > 0) delay = Math.max(0, delay + (this.prng.next() * 2 - 1) * jitterMs);
    if (lossRate > 0) {
      // Each transmission of the chunk is lost with the given chance; every retry waits twice as long.
      let timeout = this.spec.retransmitMs ?? DEFAULT_RETRANSMIT_MS;
      for (let retry = 0; retry < MAX_RETRANSMITS && this.prng.chance(lossRate); retry += 1) {
        delay += timeout;
        timeout *= 2;
      }
    }
    let sent = now;
    if (bytesPerSecond !== undefined) {
      sent = Math.max(now, this.busyUntil) + (bytes * 1000) / bytesPerSecond;
      this.busyUntil = sent;
    }
    return Math.max(after, sent + delay);
  }

  /** Carries `source`'s bytes to `sink` over this direction until either socket closes. */
  carry(source: Socket, sink: Socket, now: () => number = Date.now): void {
    const flow = new Flow(this, source, sink, now);
    this.flows.add(flow);
    const forget = () => {
      flow.stop();
      this.flows.delete(flow);
    };
    source.once('close', forget);
    sink.once('close', forget);
  }
}

interface Pending {
  /** `null`: the source ended (its FIN travels behind the data, like the data). */
  chunk: Buffer | null;
  due: number;
}

class Flow {
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Closes the connection while the link is cut with `closeAfterMs`. */
  private closer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly direction: LinkDirection,
    private readonly source: Socket,
    private readonly sink: Socket,
    private readonly now: () => number,
  ) {
    source.on('data', (chunk: Buffer) => this.push(chunk));
    source.on('end', () => this.push(null));
    sink.on('drain', () => this.flowControl());
    this.faultsChanged();
  }

  faultsChanged(): void {
    const closeAfter = this.direction.closeAfterMs;
    if (closeAfter === undefined) {
      clearTimeout(this.closer);
      this.closer = undefined;
    } else if (!this.closer) {
      this.closer = setTimeout(() => {
        this.source.destroy();
        this.sink.destroy();
      }, closeAfter);
    }
    this.flowControl();
    this.deliver();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.closer);
  }

  private push(chunk: Buffer | null): void {
    const now = this.now();
    const due = chunk ? this.direction.deliveryTime(now, chunk.length, this.lastDue) : Math.max(now, this.lastDue) + this.direction.slowCloseMs;
    this.lastDue = due;
    this.queue.push({ chunk, due });
    this.queuedBytes += chunk?.length ?? 0;
    this.deliver();
    this.flowControl();
  }

  /** Writes every chunk that is due, then waits for the next one (nothing passes while the link is cut). */
  private deliver(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || this.direction.cut) return;
    const now = this.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      const { chunk } = this.queue.shift()!;
      if (chunk === null) {
        this.sink.end();
      } else {
        this.queuedBytes -= chunk.length;
        this.sink.write(chunk);
      }
    }
    if (this.queue.length > 0) this.timer = setTimeout(() => this.deliver(), this.queue[0]!.due - now);
    this.flowControl();
  }

  /** The source reads only while the link is open, the queue is short and the sink keeps up. */
  private flowControl(): void {
    if (this.stopped) return;
    const hold = this.direction.cut || this.queuedBytes > HIGH_WATER_BYTES || this.sink.writableNeedDrain;
    if (hold) this.source.pause();
    else this.source.resume();
  }
}
