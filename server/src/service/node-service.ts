/**
 * The node's `SqsService`: what the HTTP protocol layer calls on the leader.
 *
 * - Read-only actions are served from the engine's current state, no log entry.
 * - Every other action becomes a command proposed to the replicator, with the ack mode of its
 *   queue (`replimq:ack-mode` tag) or the configured default.
 * - ReceiveMessage long-polls: it proposes a receive only when the engine says something is
 *   receivable (an empty receive needs no log entry) and otherwise parks in `LongPollWaiters`
 *   until a command or a timer makes messages available, or the wait ends. A receive without a
 *   wait that the engine says would change nothing is answered empty at once, likewise.
 */
import type { ActionInput, ActionName, SqsRequest } from '../engine/actions.js';
import { READ_ONLY_ACTIONS } from '../engine/actions.js';
import type { CommandInput, CommandName, ReadOnlyActionName, ReadRequest } from '../engine/command.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import { isSqsError } from '../engine/errors.js';
import type { AckMode, Replicator, RequestContext } from '../cluster/replicator.js';
import { ACK_MODES, ACK_MODE_TAG } from '../cluster/replicator.js';
import type { ServiceAnswer, SqsService } from '../sqs/sqs-service.js';
import type { Clock } from './clock.js';
import type { LongPollWaiters } from './long-poll-waiters.js';
import type { RequestObserver } from './request-observer.js';
import { ignoreRequests } from './request-observer.js';

export interface NodeServiceOptions {
  engine: QueueEngine;
  replicator: Replicator;
  waiters: LongPollWaiters;
  clock: Clock;
  /** Ack mode of queues without a `replimq:ack-mode` tag. */
  defaultAckMode: AckMode;
  observer?: RequestObserver;
}

type ReadOnlyRequest = Extract<SqsRequest, { action: ReadOnlyActionName }>;
type CommandRequest = Extract<SqsRequest, { action: CommandName }>;
type ReceiveInput = ActionInput<'ReceiveMessage'>;

const MAX_WAIT_SECONDS = 20;

export class NodeService implements SqsService {
  private readonly observer: RequestObserver;

  constructor(private readonly options: NodeServiceOptions) {
    this.observer = options.observer ?? ignoreRequests;
  }

  // Not `async`: every request passes here, and an async frame with its await is a promise and
  // a microtask step more per request than one `then`.
  handle(request: SqsRequest, context: RequestContext): Promise<ServiceAnswer> {
    // Monotonic, not the injected clock: a latency, never a timestamp that reaches the state.
    const started = performance.now();
    let answered: Promise<ServiceAnswer>;
    try {
      answered = this.dispatch(request, context);
    } catch (error) {
      answered = Promise.reject(error);
    }
    return answered.then(
      (answer) => {
        this.observer.requestDone(request.action, 'ok', (performance.now() - started) / 1000, answer.output);
        return answer;
      },
      (error: unknown) => {
        const outcome = isSqsError(error) ? error.code : 'InternalFailure';
        this.observer.requestDone(request.action, outcome, (performance.now() - started) / 1000);
        throw error;
      },
    );
  }

  private dispatch(request: SqsRequest, context: RequestContext): Promise<ServiceAnswer> {
    if (isReadOnly(request)) return Promise.resolve(this.read(request, context));
    if (request.action === 'ReceiveMessage') return this.receive(request.input, context);
    return this.propose(request as CommandRequest, context);
  }

  private read(request: ReadOnlyRequest, context: RequestContext): ServiceAnswer {
    const readRequest = { ...request, now: this.options.clock(), baseUrl: context.baseUrl, account: context.account } as ReadRequest;
    return { output: this.options.engine.read(readRequest) };
  }

  private propose(request: CommandRequest, context: RequestContext): Promise<ServiceAnswer> {
    // A commit already has the answer's shape (output, logIndex, replicas): handed on as it is,
    // without another async layer per write.
    const committed: Promise<ServiceAnswer> = this.options.replicator.propose(
      request.action,
      request.input as CommandInput<CommandName>,
      context,
      this.ackModeFor(request, context),
    ) as Promise<ServiceAnswer>;
    return committed;
  }

  private receive(input: ReceiveInput, context: RequestContext): Promise<ServiceAnswer> {
    const waitSeconds = this.waitSecondsFor(input, context);
    // A wait the engine will reject: one plain receive, and the engine decides.
    if (waitSeconds === undefined) return this.propose({ action: 'ReceiveMessage', input }, context);
    if (waitSeconds === 0) {
      // No wait and, the engine says, nothing to take or change (an existing queue, a plain
      // request, nothing receivable, not at the in-flight limit): the empty answer the command
      // would give, without a log entry, as a long poll that ends empty has none either.
      return this.options.engine.receiveChangesNothing(input, context.account, this.options.clock())
        ? Promise.resolve({ output: {} })
        : this.propose({ action: 'ReceiveMessage', input }, context);
    }
    return this.longPoll(input, context, waitSeconds);
  }

  private async longPoll(input: ReceiveInput, context: RequestContext, waitSeconds: number): Promise<ServiceAnswer> {
    const { engine, clock, waiters } = this.options;
    const receive = (): Promise<ServiceAnswer> => this.propose({ action: 'ReceiveMessage', input }, context);
    const deadline = clock() + waitSeconds * 1000;
    // Parks only while the engine says the receive would change nothing (receive-handler.ts
    // `receiveChangesNothing`, the check a receive without a wait uses): a request it might
    // reject (unknown queue, a value out of range, the in-flight limit) or a FIFO retry that may
    // replay an earlier answer goes to the engine first — a long poll must not hide an error or
    // a replay for 20 s.
    let mustAsk = false;
    for (;;) {
      if (mustAsk || !engine.receiveChangesNothing(input, context.account, clock())) {
        const answer = await receive();
        if (hasMessages(answer) || clock() >= deadline) return answer;
      } else if (clock() >= deadline) {
        return { output: {} };
      }
      const outcome = await waiters.wait(input.QueueUrl, context.account, deadline, context.signal);
      if (outcome === 'aborted') return { output: {} };
      mustAsk = outcome === 'ready';
    }
  }

  /** The request's WaitTimeSeconds, else the queue's ReceiveMessageWaitTimeSeconds; undefined
   *  when it is out of range or the queue cannot be read (the receive then reports why). */
  private waitSecondsFor(input: ReceiveInput, context: RequestContext): number | undefined {
    const requested = input.WaitTimeSeconds ?? this.queueWaitSeconds(input.QueueUrl, context);
    if (requested === undefined || !Number.isInteger(requested)) return undefined;
    return requested >= 0 && requested <= MAX_WAIT_SECONDS ? requested : undefined;
  }

  private queueWaitSeconds(queueUrl: string, context: RequestContext): number | undefined {
    try {
      const { Attributes } = this.options.engine.read({
        action: 'GetQueueAttributes',
        input: { QueueUrl: queueUrl, AttributeNames: ['ReceiveMessageWaitTimeSeconds'] },
        now: this.options.clock(),
        baseUrl: '',
        account: context.account,
      });
      const value = Attributes?.['ReceiveMessageWaitTimeSeconds'];
      return value === undefined ? undefined : Number(value);
    } catch {
      return undefined;
    }
  }

  private ackModeFor(request: CommandRequest, context: RequestContext): AckMode {
    const input: object = request.input;
    let tag: string | undefined;
    if (request.action === 'CreateQueue') tag = request.input.tags?.[ACK_MODE_TAG];
    else if ('QueueUrl' in input && typeof input.QueueUrl === 'string') {
      tag = this.options.engine.queueTags(input.QueueUrl, context.account)?.[ACK_MODE_TAG];
    }
    return isAckMode(tag) ? tag : this.options.defaultAckMode;
  }
}

function isReadOnly(request: SqsRequest): request is ReadOnlyRequest {
  return READ_ONLY_ACTIONS.has(request.action as ActionName);
}

function isAckMode(value: string | undefined): value is AckMode {
  return (ACK_MODES as readonly (string | undefined)[]).includes(value);
}

function hasMessages(answer: ServiceAnswer): boolean {
  const output = answer.output as { Messages?: unknown[] };
  return (output.Messages?.length ?? 0) > 0;
}
