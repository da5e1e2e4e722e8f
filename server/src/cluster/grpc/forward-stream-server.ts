/**
 * The leader's side of `ForwardStream`: each request on the stream runs at once, beside the
 * others, and its result is written back under its id when it is done.
 *
 * The stream was authenticated when it opened (peer-auth-interceptors.ts); every message of it
 * must then speak in that peer's name — its `from` and its request's `from` — or the stream ends
 * with PERMISSION_DENIED and the calls it started are stopped. A `cancel`, or the end of the
 * stream (the caller left, its node died), aborts the calls still running: their work (a parked
 * long poll) stops as if the client had hung up on the leader itself. Results finished in one
 * turn of the event loop travel back together, in one message.
 */
import type * as grpc from '@grpc/grpc-js';
import { isStoppable } from '../forward-codec.js';
import type { ForwardCall, ForwardCalls, ForwardReply, ForwardRequest, ForwardResult, ForwardResults } from './wire-messages.js';

export interface ForwardStreamHandlers {
  /** The peer the stream authenticated as; undefined with --insecure-cluster (`from` trusted). */
  peer: string | undefined;
  /** Reports an impersonation and gives the status that ends the stream. */
  refuse(from: string): grpc.StatusObject | undefined;
  /** Deadline the leader's work gets: the caller cancels sooner when its own time runs out. */
  deadlineMs: number;
  now(): number;
  forward(request: ForwardRequest, deadline: number, signal: AbortSignal): Promise<ForwardReply>;
}

/** A call being served; `controller` only where stopping it changes anything (`isStoppable`). */
interface Running {
  controller: AbortController | undefined;
}

/** The signal of the calls nothing can stop: never aborted. */
const NEVER_ABORTED = new AbortController().signal;

export function serveForwardStream(call: grpc.ServerDuplexStream<ForwardCalls, ForwardResults>, handlers: ForwardStreamHandlers): void {
  const running = new Map<number, Running>();
  let refused = false;
  let outbox: ForwardResult[] = [];
  const flush = (): void => {
    const results = outbox;
    outbox = [];
    if (!refused) call.write({ results });
  };
  const stopAll = (): void => {
    for (const { controller } of running.values()) controller?.abort();
    running.clear();
  };
  const answer = (id: number, served: Running, result: ForwardResult): void => {
    if (running.get(id) !== served) return;
    running.delete(id);
    if (!refused && outbox.push(result) === 1) setImmediate(flush);
  };
  const take = (wire: ForwardCall): void => {
    const { peer } = handlers;
    const impostor = peer === undefined ? undefined : wire.from !== peer ? wire.from : wire.request && wire.request.from !== peer ? wire.request.from : undefined;
    if (impostor !== undefined) {
      refused = true;
      stopAll();
      call.emit('error', handlers.refuse(impostor));
      return;
    }
    const id = wire.id;
    if (wire.body === 'cancel') {
      running.get(id)?.controller?.abort();
      running.delete(id);
      return;
    }
    if (!wire.request || running.has(id)) return;
    const controller = isStoppable(wire.request.action) ? new AbortController() : undefined;
    const served: Running = { controller };
    running.set(id, served);
    handlers.forward(wire.request, handlers.now() + handlers.deadlineMs, controller?.signal ?? NEVER_ABORTED).then(
      (reply) => answer(id, served, { id, result: 'reply', reply }),
      (error: unknown) => answer(id, served, { id, result: 'failure', failure: error instanceof Error ? error.message : String(error) }),
    );
  };
  call.on('data', ({ calls }: ForwardCalls) => {
    for (const wire of calls) {
      if (refused) return;
      take(wire);
    }
  });
  call.on('end', () => {
    stopAll();
    call.end();
  });
  call.on('error', stopAll);
  call.on('cancelled', stopAll);
}
