/**
 * Counters the service feeds (as its `RequestObserver`) and the Prometheus text `GET /metrics`
 * renders, together with gauges read at scrape time (queue depths, log indexes, parked polls).
 */
import type { ActionName, ActionOutput } from '../engine/actions.js';
import type { RequestObserver, RequestOutcome } from '../service/request-observer.js';
import type { ClusterStatus } from './cluster-status.js';
import type { QueueSummary } from './queue-summary.js';

export interface ScrapeState {
  cluster: ClusterStatus;
  queues: QueueSummary[];
  longPollsWaiting: number;
}

export class NodeMetrics implements RequestObserver {
  /** action → outcome → count. Two lookups rather than a joined key: no string is built per
   *  request. */
  private readonly requests = new Map<string, Map<string, number>>();
  private sent = 0;
  private received = 0;
  private deleted = 0;

  requestDone<A extends ActionName>(action: A, outcome: RequestOutcome, output?: ActionOutput<A>): void {
    let outcomes = this.requests.get(action);
    if (outcomes === undefined) {
      outcomes = new Map();
      this.requests.set(action, outcomes);
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if (output !== undefined) this.countMessages(action, output);
  }

  render(state: ScrapeState): string {
    const lines: string[] = [];
    const family = (name: string, type: 'counter' | 'gauge', help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };

    family('replimq_requests_total', 'counter', 'SQS requests by action and outcome (ok or the error code).');
    for (const [action, outcomes] of this.requests) {
      for (const [outcome, count] of outcomes) {
        lines.push(`replimq_requests_total${labels({ action, outcome })} ${count}`);
      }
    }
    family('replimq_messages_sent_total', 'counter', 'Messages accepted by SendMessage and SendMessageBatch.');
    lines.push(`replimq_messages_sent_total ${this.sent}`);
    family('replimq_messages_received_total', 'counter', 'Messages handed out by ReceiveMessage.');
    lines.push(`replimq_messages_received_total ${this.received}`);
    family('replimq_messages_deleted_total', 'counter', 'Messages deleted by DeleteMessage and DeleteMessageBatch.');
    lines.push(`replimq_messages_deleted_total ${this.deleted}`);

    family('replimq_queue_messages', 'gauge', 'Messages in a queue by state (approximate, as GetQueueAttributes).');
    for (const queue of state.queues) {
      // One name in several accounts or regions is several queues: the labels tell them apart.
      const queueLabels = { queue: queue.name, account: queue.accountId, region: queue.region };
      lines.push(`replimq_queue_messages${labels({ ...queueLabels, state: 'visible' })} ${queue.visible}`);
      lines.push(`replimq_queue_messages${labels({ ...queueLabels, state: 'in_flight' })} ${queue.inFlight}`);
      lines.push(`replimq_queue_messages${labels({ ...queueLabels, state: 'delayed' })} ${queue.delayed}`);
    }
    family('replimq_queues', 'gauge', 'Queues on this node.');
    lines.push(`replimq_queues ${state.queues.length}`);
    family('replimq_long_polls_waiting', 'gauge', 'ReceiveMessage requests parked in a long poll.');
    lines.push(`replimq_long_polls_waiting ${state.longPollsWaiting}`);

    const { cluster } = state;
    family('replimq_applied_index', 'gauge', 'Last log index applied to this node\'s state.');
    lines.push(`replimq_applied_index ${cluster.appliedIndex}`);
    family('replimq_commit_index', 'gauge', 'Last log index known committed.');
    lines.push(`replimq_commit_index ${cluster.commitIndex}`);
    family('replimq_term', 'gauge', 'Current raft term.');
    lines.push(`replimq_term ${cluster.term}`);
    family('replimq_is_leader', 'gauge', '1 on the leader, 0 elsewhere.');
    lines.push(`replimq_is_leader${labels({ node: cluster.nodeId })} ${cluster.role === 'leader' ? 1 : 0}`);
    return lines.join('\n') + '\n';
  }

  private countMessages<A extends ActionName>(action: A, output: ActionOutput<A>): void {
    const result = output as { Successful?: unknown[]; Messages?: unknown[] };
    switch (action) {
      case 'SendMessage':
        this.sent += 1;
        break;
      case 'SendMessageBatch':
        this.sent += result.Successful?.length ?? 0;
        break;
      case 'ReceiveMessage':
        this.received += result.Messages?.length ?? 0;
        break;
      case 'DeleteMessage':
        this.deleted += 1;
        break;
      case 'DeleteMessageBatch':
        this.deleted += result.Successful?.length ?? 0;
        break;
    }
  }
}

function labels(values: Record<string, string>): string {
  const pairs = Object.entries(values).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return `{${pairs.join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
