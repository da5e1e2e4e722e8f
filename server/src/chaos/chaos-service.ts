/**
 * SQS's own failure modes at the node's SQS edge: a service that wraps the node's (the one the
 * HTTP listener calls, so rules are per node, and a follower's rules apply before it forwards).
 * The engine stays pure: everything here is either read-side — errors, latency, an empty answer
 * to a short poll that never reaches the engine, a receive's messages in another order, a copy of
 * a message delivered again from this node's memory — or goes through the replicated path as any
 * client call does: early visibility expiry is a `ChangeMessageVisibility(…, 0)` this node sends
 * through the same service, so every node applies it.
 */
import type { ReceivedMessage, SqsRequest } from '../engine/actions.js';
import { SqsError } from '../engine/errors.js';
import type { RequestContext } from '../cluster/replicator.js';
import { queueKeyOf } from '../service/queue-key.js';
import type { ServiceAnswer, SqsService } from '../sqs/sqs-service.js';
import { SeededRandom } from '../service/seeded-random.js';
import type { ChaosErrorCode, ChaosRate, ChaosSpec } from './chaos-spec.js';

/** What `GET /chaos` shows: the rules in force and how often each fired. */
export interface ChaosState {
  enabled: boolean;
  rules: ChaosSpec;
  injected: { errors: number; latency: number; duplicates: number; reordered: number; emptyShortPolls: number; earlyVisibility: number };
}

/** Copies kept per queue for later delivery, at most. */
const MAX_COPIES_PER_QUEUE = 100;
const DEFAULT_SEED = 1;

const MESSAGES: Record<ChaosErrorCode, string> = {
  InternalFailure: 'We encountered an internal error. Please try again.',
  ServiceUnavailable: 'Service is unable to handle request.',
  ThrottlingException: 'Rate exceeded',
  RequestThrottled: 'Request is throttled.',
};

export class ChaosService implements SqsService {
  private rules: ChaosSpec | undefined;
  private random = new SeededRandom(DEFAULT_SEED);
  private injected = emptyCounts();
  private readonly copies = new Map<string, ReceivedMessage[]>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly inner: SqsService,
    rules?: ChaosSpec,
  ) {
    if (rules) this.set(rules);
  }

  set(rules: ChaosSpec): ChaosState {
    this.rules = structuredClone(rules);
    this.random = new SeededRandom(rules.seed ?? DEFAULT_SEED);
    this.injected = emptyCounts();
    this.copies.clear();
    return this.current();
  }

  clear(): ChaosState {
    this.rules = undefined;
    this.copies.clear();
    this.cancelTimers();
    return this.current();
  }

  current(): ChaosState {
    return { enabled: this.rules !== undefined, rules: structuredClone(this.rules ?? {}), injected: { ...this.injected } };
  }

  /** Drops pending early expiries (node shutdown). */
  close(): void {
    this.clear();
  }

  // Not `async`: without rules (always, in production) the inner service's promise is handed on
  // as it is. An async function returning it added a promise and two microtask steps per request.
  handle(request: SqsRequest, context: RequestContext): Promise<ServiceAnswer> {
    const rules = this.rules;
    if (!rules) return this.inner.handle(request, context);
    return this.withRules(request, context, rules);
  }

  private async withRules(request: SqsRequest, context: RequestContext, rules: ChaosSpec): Promise<ServiceAnswer> {
    for (const rule of rules.latency ?? []) {
      if (applies(rule.actions, request) && this.random.chance(rule.rate ?? 1)) {
        this.injected.latency += 1;
        await sleep(this.random.int(rule.minMs, rule.maxMs));
      }
    }
    const failure = (rules.errors ?? []).find((rule) => applies(rule.actions, request) && this.random.chance(rule.rate));
    if (failure) {
      this.injected.errors += 1;
      if (failure.when === 'after') await this.inner.handle(request, context).catch(() => undefined);
      throw new SqsError(failure.error, MESSAGES[failure.error]);
    }
    // A purged or deleted queue's messages are gone, copies included.
    if (request.action === 'PurgeQueue' || request.action === 'DeleteQueue') this.copies.delete(queueKeyOf(request.input.QueueUrl, context.account));
    if (request.action !== 'ReceiveMessage') return this.inner.handle(request, context);
    return this.receive(request, context, rules);
  }

  private async receive(request: Extract<SqsRequest, { action: 'ReceiveMessage' }>, context: RequestContext, rules: ChaosSpec): Promise<ServiceAnswer> {
    const { input } = request;
    const queue = queueKeyOf(input.QueueUrl, context.account);
    const fifo = queue.endsWith('.fifo');
    // SQS samples a subset of its servers on a short poll, so it may answer empty while messages wait.
    if (rules.emptyShortPolls && !(Number(input.WaitTimeSeconds) > 0) && this.random.chance(rules.emptyShortPolls.rate)) {
      if (input.WaitTimeSeconds !== undefined || (await this.queueAttribute(input.QueueUrl, 'ReceiveMessageWaitTimeSeconds', context)) === 0) {
        this.injected.emptyShortPolls += 1;
        return { output: {} };
      }
    }
    const answer = (await this.inner.handle(request, context)) as ServiceAnswer<'ReceiveMessage'>;
    const received = answer.output.Messages ?? [];
    let messages = [...received];
    if (covers(rules.duplicates, fifo)) {
      const waiting = this.copies.get(queue) ?? [];
      const room = Math.max(0, (input.MaxNumberOfMessages ?? 1) - messages.length);
      const delivered = waiting.splice(0, room);
      this.injected.duplicates += delivered.length;
      messages.push(...delivered);
      for (const message of received) {
        if (this.random.chance(rules.duplicates!.rate) && waiting.length < MAX_COPIES_PER_QUEUE) waiting.push(structuredClone(message));
      }
      if (waiting.length > 0) this.copies.set(queue, waiting);
      else this.copies.delete(queue);
    }
    if (covers(rules.reorder, fifo) && messages.length > 1 && this.random.chance(rules.reorder!.rate)) {
      this.injected.reordered += 1;
      messages = this.shuffle(messages);
    }
    if (covers(rules.earlyVisibility, fifo)) {
      for (const message of received) {
        if (this.random.chance(rules.earlyVisibility!.rate)) await this.expireEarly(input.QueueUrl, message, input.VisibilityTimeout, rules.earlyVisibility!, context);
      }
    }
    return messages.length === 0 && received.length === 0 ? answer : { ...answer, output: { ...answer.output, Messages: messages } };
  }

  /** Makes the message visible again at a random point within its visibility timeout, through the replicated path. */
  private async expireEarly(
    queueUrl: string,
    message: ReceivedMessage,
    timeout: number | undefined,
    window: { minShare?: number; maxShare?: number },
    context: RequestContext,
  ): Promise<void> {
    const seconds = timeout ?? (await this.queueAttribute(queueUrl, 'VisibilityTimeout', context));
    if (!seconds) return;
    const [low, high] = [window.minShare ?? 0.1, window.maxShare ?? 0.9];
    const delayMs = Math.floor(seconds * 1000 * (low + (high - low) * this.random.next()));
    this.injected.earlyVisibility += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const change: SqsRequest = { action: 'ChangeMessageVisibility', input: { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 } };
      // Deleted or already visible again by then: nothing to expire.
      this.inner.handle(change, { baseUrl: context.baseUrl, senderId: context.senderId, account: context.account }).catch(() => {});
    }, delayMs);
    timer.unref?.();
    this.timers.add(timer);
  }

  private async queueAttribute(queueUrl: string, name: string, context: RequestContext): Promise<number | undefined> {
    try {
      const answer = (await this.inner.handle({ action: 'GetQueueAttributes', input: { QueueUrl: queueUrl, AttributeNames: [name] } }, context)) as ServiceAnswer<'GetQueueAttributes'>;
      const value = answer.output.Attributes?.[name];
      return value === undefined ? undefined : Number(value);
    } catch {
      return undefined;
    }
  }

  private shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index -= 1) {
      const other = Math.floor(this.random.next() * (index + 1));
      [items[index], items[other]] = [items[other]!, items[index]!];
    }
    return items;
  }

  private cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function applies(actions: readonly string[] | undefined, request: SqsRequest): boolean {
  return actions === undefined || actions.includes(request.action);
}

/** A rule for standard queues, and for FIFO ones only when it says so. */
function covers(rule: ChaosRate | undefined, fifo: boolean): boolean {
  return rule !== undefined && (!fifo || rule.fifo === true);
}

function emptyCounts(): ChaosState['injected'] {
  return { errors: 0, latency: 0, duplicates: 0, reordered: 0, emptyShortPolls: 0, earlyVisibility: 0 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
