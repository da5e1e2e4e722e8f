/**
 * The caller's side of `ForwardStream`: every request this node forwards to one peer travels on
 * one long-lived stream, under an id, and its result comes back under the same id in whatever
 * order the peer finishes them — a long poll parked for 20 s holds up nobody.
 *
 * The stream opens on the first call and again, on the next call, after it ended. What each
 * waiting call learns when its stream breaks matters to the client (forwarding-service.ts): a
 * call on a stream that never reached the peer (no connection) was not sent, and is retried
 * elsewhere; one that may have reached it fails as unanswered, never to be sent twice.
 *
 * Bounded: at most `maxWaiting` calls wait at a time; beyond that a call is refused as not sent
 * (the forwarding service pauses and retries it), so a stalled peer cannot make this node buffer
 * without end. Each call has its deadline here; when it passes, or the client goes away, the peer
 * is told to stop the work (a `cancel` message). The deadlines share one timer per stream, armed
 * for the earliest: a timer set and cleared per forwarded call was ~1.5% of a follower's CPU, and
 * nearly every call is answered long before its deadline.
 *
 * What one turn of the event loop sends is joined into one stream message at its end (as appends
 * are, append-coalescing.ts): a gRPC message costs far more than the few hundred bytes of a call.
 */
import * as grpc from '@grpc/grpc-js';
import { ForwardNotSentError } from '../transport.js';
import type { ForwardCall, ForwardCalls, ForwardReply, ForwardRequest, ForwardResults } from './wire-messages.js';

export type ForwardDuplex = grpc.ClientDuplexStream<ForwardCalls, ForwardResults>;

export interface ForwardStreamClientOptions {
  selfId: string;
  peerId: string;
  /** Opens a new `ForwardStream` call on the link's current channel. */
  open(): ForwardDuplex;
  now(): number;
  maxWaiting: number;
  /** Whether a stream error means no connection was ever made (nothing sent). */
  isNotConnected(error: grpc.ServiceError): boolean;
}

interface Waiting {
  resolve(reply: ForwardReply): void;
  reject(error: Error): void;
  /** `now()` past which the call is abandoned, and the budget it was given (for the message). */
  deadline: number;
  budget: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** One opened stream and the calls waiting on it. */
interface OpenStream {
  duplex: ForwardDuplex;
  waiting: Map<number, Waiting>;
  /** The peer's metadata came back: it authenticated the stream and may have read calls. */
  established: boolean;
  /** Calls and cancels of this turn, written together at its end. */
  outbox: ForwardCall[];
  /** The one deadline timer, and the `now()` it is armed for. */
  timer: NodeJS.Timeout | undefined;
  timerAt: number;
}

export class ForwardStreamClient {
  private current: OpenStream | undefined;
  private nextId = 1;
  private waitingCount = 0;
  private closed = false;
  /** The peer answered UNIMPLEMENTED (a version before `ForwardStream`): use unary `Forward`. */
  private unsupportedByPeer = false;

  constructor(private readonly options: ForwardStreamClientOptions) {}

  get unsupported(): boolean {
    return this.unsupportedByPeer;
  }

  call(request: ForwardRequest, deadline: number, signal?: AbortSignal): Promise<ForwardReply> {
    if (this.closed) return Promise.reject(new ForwardNotSentError('the node is shutting down'));
    if (signal?.aborted) return Promise.reject(new Error('the client went away'));
    if (this.waitingCount >= this.options.maxWaiting) {
      return Promise.reject(new ForwardNotSentError(`${this.options.maxWaiting} calls already wait for ${this.options.peerId}`));
    }
    const stream = this.current ?? this.openStream();
    const id = this.nextId++;
    const now = this.options.now();
    const budget = Math.max(0, deadline - now);
    return new Promise<ForwardReply>((resolve, reject) => {
      const waiting: Waiting = { resolve, reject, deadline: now + budget, budget, signal, onAbort: undefined };
      if (signal) {
        waiting.onAbort = () => this.abandon(stream, id, new Error('the client went away'));
        signal.addEventListener('abort', waiting.onAbort, { once: true });
      }
      stream.waiting.set(id, waiting);
      this.waitingCount++;
      if (stream.timer === undefined || waiting.deadline < stream.timerAt) this.armTimer(stream, waiting.deadline);
      this.send(stream, { from: this.options.selfId, id, body: 'request', request });
    });
  }

  close(): void {
    this.closed = true;
    const stream = this.current;
    this.current = undefined;
    if (stream) {
      this.failAll(stream, () => new ForwardNotSentError('the node is shutting down'));
      stream.duplex.cancel();
    }
  }

  private openStream(): OpenStream {
    const duplex = this.options.open();
    const stream: OpenStream = { duplex, waiting: new Map(), established: false, outbox: [], timer: undefined, timerAt: 0 };
    this.current = stream;
    duplex.on('metadata', () => {
      stream.established = true;
    });
    duplex.on('data', ({ results }: ForwardResults) => {
      for (const result of results) {
        const waiting = this.settle(stream, result.id);
        if (!waiting) continue;
        if (result.result === 'reply' && result.reply) waiting.resolve(result.reply);
        else waiting.reject(new Error(result.failure || 'empty ForwardStream result'));
      }
    });
    const broken = (error?: grpc.ServiceError): void => {
      if (this.current === stream) this.current = undefined;
      const notSent = error !== undefined && !stream.established && this.options.isNotConnected(error);
      if (error?.code === grpc.status.UNIMPLEMENTED && !stream.established) this.unsupportedByPeer = true;
      const peer = this.options.peerId;
      this.failAll(stream, () =>
        notSent || this.unsupportedByPeer
          ? new ForwardNotSentError(`${peer} is unreachable: ${error?.details ?? 'stream ended'}`)
          : new Error(`the stream to ${peer} broke: ${error?.details ?? 'it ended'}`),
      );
    };
    // Every end of the stream leads here; the first one fails its waiting calls.
    duplex.on('error', broken);
    duplex.on('end', () => broken());
    duplex.on('close', () => broken());
    return stream;
  }

  private armTimer(stream: OpenStream, at: number): void {
    if (stream.timer !== undefined) clearTimeout(stream.timer);
    stream.timerAt = at;
    stream.timer = setTimeout(() => this.expire(stream), Math.max(0, at - this.options.now()));
  }

  /** The timer's turn: abandons the calls whose deadline has passed, re-arms for the next one. */
  private expire(stream: OpenStream): void {
    stream.timer = undefined;
    const now = this.options.now();
    let next = Infinity;
    for (const [id, waiting] of [...stream.waiting]) {
      if (waiting.deadline <= now) this.abandon(stream, id, new Error(`no answer within ${Math.round(waiting.budget)} ms`));
      else next = Math.min(next, waiting.deadline);
    }
    if (next !== Infinity) this.armTimer(stream, next);
  }

  /** Stops waiting for call `id` (deadline passed, client gone) and tells the peer to stop. */
  private abandon(stream: OpenStream, id: number, reason: Error): void {
    const waiting = this.settle(stream, id);
    if (!waiting) return;
    waiting.reject(reason);
    if (this.current === stream) this.send(stream, { from: this.options.selfId, id, body: 'cancel', cancel: {} });
  }

  private send(stream: OpenStream, call: ForwardCall): void {
    if (stream.outbox.push(call) > 1) return;
    setImmediate(() => {
      const calls = stream.outbox;
      stream.outbox = [];
      if (this.current === stream) stream.duplex.write({ calls });
    });
  }

  /** Removes call `id` from the waiting ones; undefined if it no longer waits. */
  private settle(stream: OpenStream, id: number): Waiting | undefined {
    const waiting = stream.waiting.get(id);
    if (!waiting) return undefined;
    stream.waiting.delete(id);
    this.waitingCount--;
    // Nothing left to time: no timer lingers on an idle stream (under load the set rarely empties).
    if (stream.waiting.size === 0 && stream.timer !== undefined) {
      clearTimeout(stream.timer);
      stream.timer = undefined;
    }
    if (waiting.onAbort) waiting.signal?.removeEventListener('abort', waiting.onAbort);
    return waiting;
  }

  private failAll(stream: OpenStream, reason: () => Error): void {
    if (stream.timer !== undefined) clearTimeout(stream.timer);
    stream.timer = undefined;
    for (const id of [...stream.waiting.keys()]) this.settle(stream, id)?.reject(reason());
  }
}
