/**
 * The `SqsService` SQS clients reach on every node of a cluster.
 *
 * On the leader it is the node's own service. On a follower every request (reads too) goes to
 * the leader over the `Forward` RPC, long polls included, and the leader's answer comes back to
 * be rendered in the client's protocol. Reads are therefore answered from the leader's state and
 * are never staler than a read on the leader itself.
 *
 * While no leader is known (an election is running), or the one known says it no longer leads,
 * the request waits and retries for up to three election timeouts, then fails with 503
 * `ServiceUnavailable` (SDKs retry those). A request that may have reached the leader is never
 * sent twice: if the leader dies mid-request, the client gets 503 and decides.
 */
import type { Account } from '../engine/queue-address.js';
import type { SqsRequest } from '../engine/actions.js';
import { SqsError } from '../engine/errors.js';
import type { FaultInjector } from '../admin/faults.js';
import type { ServiceAnswer, SqsService } from '../sqs/sqs-service.js';
import { decodeForwardRequest, decodeReply, encodeAnswer, encodeFailure, encodeForwardRequest, isStoppable } from './forward-codec.js';
import type { ForwardReply, ForwardRequest } from './grpc/wire-messages.js';
import { NotLeaderError } from './not-leader-error.js';
import type { RequestContext } from './replicator.js';
import { ForwardNotSentError, type PeerTransport } from './transport.js';

export interface LeaderTracker {
  isLeader(): boolean;
  leaderId(): string | undefined;
}

export interface ForwardingServiceOptions {
  nodeId: string;
  local: SqsService;
  leadership: LeaderTracker;
  transport: PeerTransport;
  faults: FaultInjector;
  electionTimeoutMs: number;
  replicationTimeoutMs: number;
  /** The node's own account and region, for forwarded requests that carry none. */
  account: Account;
  now?: () => number;
}

/** Longest long poll SQS allows, for receives whose wait comes from the queue's attributes. */
const MAX_WAIT_MS = 20_000;
const RETRY_PAUSE_MS = 50;

export class ForwardingService implements SqsService {
  private readonly now: () => number;

  constructor(private readonly options: ForwardingServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  handle(request: SqsRequest, context: RequestContext): Promise<ServiceAnswer> {
    const { local, leadership, faults } = this.options;
    // The leader's everyday case goes straight to its own service: no retry loop (and its async
    // frame) per request. Only a leadership lost meanwhile falls back to the loop.
    if (!faults.refusesClients && leadership.isLeader()) {
      return local.handle(request, context).catch((error: unknown) => {
        if (!(error instanceof NotLeaderError)) throw error;
        return this.retrying(request, context);
      });
    }
    // A follower's everyday case: a leader is known, one forward. Only a refusal that lets the
    // request be tried again (not sent, or "not the leader") falls back to the retry loop, which
    // tries the hint first. The async loop and the forward's own async frame were per-request
    // promise chains on every forwarded request.
    const leader = faults.refusesClients ? undefined : leadership.leaderId();
    if (leader !== undefined && leader !== this.options.nodeId) {
      return this.forward(leader, request, context).catch((error: unknown) => {
        if (!(error instanceof NotLeaderError || error instanceof ForwardNotSentError)) throw error;
        return this.retrying(request, context, error instanceof NotLeaderError ? error.leaderId : undefined);
      });
    }
    return this.retrying(request, context);
  }

  /** `hint`: the leader a first attempt's "not the leader" named, tried first. */
  private async retrying(request: SqsRequest, context: RequestContext, firstHint?: string): Promise<ServiceAnswer> {
    const { local, leadership, faults, nodeId, electionTimeoutMs } = this.options;
    if (faults.refusesClients) {
      throw new SqsError('ServiceUnavailable', `Node ${nodeId} refuses clients (fault injection).`);
    }
    const giveUpAt = this.now() + 3 * electionTimeoutMs;
    let lastProblem = 'no leader is known';
    // A node that answered "not the leader" may know who is: try that one next.
    let hint: string | undefined = firstHint;
    for (;;) {
      try {
        if (leadership.isLeader()) return await local.handle(request, context);
        const leader = hint ?? leadership.leaderId();
        hint = undefined;
        if (leader !== undefined && leader !== nodeId) return await this.forward(leader, request, context);
      } catch (error) {
        if (!(error instanceof NotLeaderError || error instanceof ForwardNotSentError)) throw error;
        lastProblem = error.message;
        if (error instanceof NotLeaderError) hint = error.leaderId;
      }
      if (this.now() >= giveUpAt || context.signal?.aborted) {
        throw new SqsError('ServiceUnavailable', `No leader could take the request (${lastProblem}); try again.`);
      }
      await pause(RETRY_PAUSE_MS);
    }
  }

  /** The leader's side: run a forwarded request through this node's own service, unless its
   *  caller has stopped waiting (`deadline`, this node's clock): its answer would go nowhere. */
  serve(wire: ForwardRequest, deadline: number, signal: AbortSignal): Promise<ForwardReply> {
    const { leadership, local } = this.options;
    if (!leadership.isLeader()) return Promise.resolve(encodeFailure(new NotLeaderError(leadership.leaderId())));
    if (this.now() >= deadline) {
      return Promise.resolve(encodeFailure(new SqsError('ServiceUnavailable', 'The request reached the leader after its deadline; it was not run.')));
    }
    let answer: Promise<ServiceAnswer>;
    try {
      const { request, context } = decodeForwardRequest(wire, this.options.account, signal);
      answer = local.handle(request, context);
    } catch (error) {
      return Promise.resolve(encodeFailure(error));
    }
    return answer.then(encodeAnswer, encodeFailure);
  }

  /** Plain promise callbacks, no async frames: this runs for every request a follower takes. */
  private forward(leader: string, request: SqsRequest, context: RequestContext): Promise<ServiceAnswer> {
    const wire = encodeForwardRequest(this.options.nodeId, request, context);
    const deadline = this.now() + this.budgetMs(request);
    // Reading `context.signal` makes the request's AbortController: only where it is used.
    const signal = isStoppable(request.action) ? context.signal : undefined;
    return this.options.transport.forward(leader, wire, deadline, signal).then(decodeReply, (error: unknown) => {
      if (error instanceof ForwardNotSentError) throw error;
      throw new SqsError('ServiceUnavailable', `The leader ${leader} did not answer: ${describe(error)}`, { cause: error });
    });
  }

  /** How long the leader may take: the long poll's wait plus the replication timeout. */
  private budgetMs(request: SqsRequest): number {
    const margin = this.options.replicationTimeoutMs + 2_000;
    if (request.action !== 'ReceiveMessage') return margin;
    const wait = request.input.WaitTimeSeconds;
    return (typeof wait === 'number' ? Math.min(wait * 1000, MAX_WAIT_MS) : MAX_WAIT_MS) + margin;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
