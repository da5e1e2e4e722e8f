/**
 * The node's SQS families in its Prometheus registry: request counts and latencies (fed by the
 * service as its `RequestObserver`), message counters, and gauges read at scrape time (queue
 * depths, parked long polls).
 *
 * Counting stays in plain maps on the hot path and reaches prom-client in `collect()` at scrape
 * time: prom-client hashes the label set on every `inc` (~0.3 µs, measured), which every
 * request would pay. The latency histogram counts in arrays too and renders at scrape time
 * (metrics/scraped-histogram.ts), for the same reason.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { ScrapedHistogram, type HistogramSeries } from '../metrics/scraped-histogram.js';
import type { ActionName, ActionOutput } from '../engine/actions.js';
import type { RequestObserver, RequestOutcome } from '../service/request-observer.js';
import type { QueueSummary } from './queue-summary.js';
import { counterReadAtScrape, gaugeReadAtScrape } from '../metrics/read-at-scrape.js';

/** Upper bounds (seconds) of the per-action latency buckets; long polls reach 20 s. */
const REQUEST_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

export interface ScrapeState {
  queues(): QueueSummary[];
  longPollsWaiting(): number;
}

export class NodeMetrics implements RequestObserver {
  /** action → outcome → count. Two lookups rather than a joined key: no string is built per
   *  request. */
  private readonly requests = new Map<string, Map<string, number>>();
  private sent = 0;
  private received = 0;
  private deleted = 0;
  private readonly latency: ScrapedHistogram;
  private readonly latencyByAction = new Map<string, HistogramSeries>();

  constructor(registry: Registry, scrape: ScrapeState) {
    const requests = this.requests;
    new Counter({
      name: 'replimq_requests_total',
      help: 'SQS requests by action and outcome (ok or the error code).',
      labelNames: ['action', 'outcome'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [action, outcomes] of requests) {
          for (const [outcome, count] of outcomes) this.inc({ action, outcome }, count);
        }
      },
    });
    this.latency = new ScrapedHistogram({
      name: 'replimq_request_duration_seconds',
      help: 'Time from a decoded SQS request to its answer (long polls included), by action.',
      labelName: 'action',
      buckets: REQUEST_SECONDS_BUCKETS,
    });
    registry.registerMetric(this.latency);
    counterReadAtScrape(registry, 'replimq_messages_sent_total', 'Messages accepted by SendMessage and SendMessageBatch.', () => this.sent);
    counterReadAtScrape(registry, 'replimq_messages_received_total', 'Messages handed out by ReceiveMessage.', () => this.received);
    counterReadAtScrape(registry, 'replimq_messages_deleted_total', 'Messages deleted by DeleteMessage and DeleteMessageBatch.', () => this.deleted);

    new Gauge({
      name: 'replimq_queue_messages',
      help: 'Messages in a queue by state (exact, as GetQueueAttributes reports them).',
      labelNames: ['queue', 'account', 'region', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        const queues = scrape.queues();
        for (const queue of queues) {
          // One name in several accounts or regions is several queues: the labels tell them apart.
          const labels = { queue: queue.name, account: queue.accountId, region: queue.region };
          this.set({ ...labels, state: 'visible' }, queue.visible);
          this.set({ ...labels, state: 'in_flight' }, queue.inFlight);
          this.set({ ...labels, state: 'delayed' }, queue.delayed);
        }
      },
    });
    gaugeReadAtScrape(registry, 'replimq_queues', 'Queues on this node.', () => scrape.queues().length);
    gaugeReadAtScrape(registry, 'replimq_long_polls_waiting', 'ReceiveMessage requests parked in a long poll.', scrape.longPollsWaiting);
  }

  requestDone<A extends ActionName>(action: A, outcome: RequestOutcome, seconds: number, output?: ActionOutput<A>): void {
    let outcomes = this.requests.get(action);
    if (outcomes === undefined) {
      outcomes = new Map();
      this.requests.set(action, outcomes);
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    let latency = this.latencyByAction.get(action);
    if (latency === undefined) {
      latency = this.latency.series(action);
      this.latencyByAction.set(action, latency);
    }
    latency.observe(seconds);
    if (output !== undefined) this.countMessages(action, output);
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
