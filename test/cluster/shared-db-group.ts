/**
 * Shared-db groups for tests: N real `replimq` processes on one test database, plus a workload
 * that records every acknowledged send, so a fault test can check that none is lost.
 */
import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsClient } from '../integration/node/node-fixture.js';
import { startNodeProcess, type NodeProcess } from '../support/start-node.js';
import { waitFor } from './wait-for.js';

export interface GroupNode {
  id: string;
  process: NodeProcess;
  sqs: SQSClient;
  state: 'running' | 'paused' | 'killed';
}

export interface ClusterView {
  nodeId: string;
  role: string;
  mode?: string;
  epoch?: number;
  leaderId: string | null;
  database?: { connected: boolean };
}

export class SharedDbGroup {
  readonly nodes: GroupNode[] = [];
  /** Group members forward to each other with a credential made from this (the server refuses
   *  unauthenticated forwards). */
  private readonly secret = randomBytes(32).toString('hex');

  constructor(private readonly url: string) {}

  async start(size: number): Promise<this> {
    await Promise.all(Array.from({ length: size }, (_, at) => this.add(`n${at + 1}`)));
    return this;
  }

  async add(id: string): Promise<GroupNode> {
    const process = await startNodeProcess(['--storage', 'postgres', '--postgres-url', this.url, '--node-id', id], {
      env: { REPLIMQ_CLUSTER_SECRET: this.secret },
    });
    const node: GroupNode = { id, process, sqs: sqsClient(process.sqsEndpoint), state: 'running' };
    this.nodes.push(node);
    return node;
  }

  node(id: string): GroupNode {
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  running(): GroupNode[] {
    return this.nodes.filter((node) => node.state === 'running');
  }

  async cluster(node: GroupNode): Promise<ClusterView> {
    const response = await fetch(`${node.process.adminEndpoint}/cluster`, { signal: AbortSignal.timeout(2000) });
    return (await response.json()) as ClusterView;
  }

  /** Waits until the running nodes agree on one active node among them; returns it. */
  async active(timeoutMs = 15_000): Promise<GroupNode> {
    return waitFor('one active node that every running node names', async () => {
      const views = await Promise.all(this.running().map((node) => this.cluster(node)));
      const leaders = views.filter((view) => view.role === 'leader');
      if (leaders.length !== 1) return undefined;
      const id = leaders[0]!.nodeId;
      return views.every((view) => view.leaderId === id) ? this.node(id) : undefined;
    }, { timeoutMs, intervalMs: 50 });
  }

  async kill(node: GroupNode): Promise<void> {
    node.state = 'killed';
    node.process.child.kill('SIGCONT');
    await node.process.stop('SIGKILL');
  }

  pause(node: GroupNode): void {
    node.state = 'paused';
    node.process.child.kill('SIGSTOP');
  }

  resume(node: GroupNode): void {
    node.state = 'running';
    node.process.child.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) {
      node.sqs.destroy();
      if (node.state !== 'killed') await this.kill(node);
    }
  }
}

export async function createQueue(node: GroupNode, name: string): Promise<string> {
  return waitFor(`queue ${name} created`, async () => (await node.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl);
}

/**
 * Senders that keep sending through the given nodes while the test breaks things. A send that
 * fails (503, a dead node) is sent again, through the next node, until it is acknowledged: so
 * it may arrive twice (at-least-once, as with SQS), and every acknowledged body must arrive.
 */
export class SendWorkload {
  readonly acknowledged = new Set<string>();
  failures = 0;
  private stopping = false;
  private readonly running: Promise<void>[] = [];

  constructor(private readonly queueUrl: string, private readonly through: () => GroupNode[], senders = 4) {
    for (let sender = 0; sender < senders; sender++) this.running.push(this.loop(sender));
  }

  /** Resolves once `count` more sends have been acknowledged. */
  async acknowledgedMore(count: number, timeoutMs = 20_000): Promise<void> {
    const target = this.acknowledged.size + count;
    await waitFor(`${count} more acknowledged sends`, () => this.acknowledged.size >= target, { timeoutMs, intervalMs: 20 });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  private async loop(sender: number): Promise<void> {
    for (let sequence = 0; !this.stopping; sequence++) {
      const body = `s${sender}-${sequence}`;
      for (let attempt = 0; !this.stopping; attempt++) {
        const nodes = this.through();
        const node = nodes[(sender + attempt) % nodes.length]!;
        try {
          await node.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
          this.acknowledged.add(body);
          break;
        } catch {
          this.failures++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }
  }
}

/** Receives (and hides for an hour) everything the queue holds, through `node`. */
export async function receiveAll(node: GroupNode, queueUrl: string): Promise<Set<string>> {
  const bodies = new Set<string>();
  let emptyInARow = 0;
  while (emptyInARow < 2) {
    const answer = await node.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 3600, WaitTimeSeconds: 1 }));
    const messages = answer.Messages ?? [];
    emptyInARow = messages.length === 0 ? emptyInARow + 1 : 0;
    for (const message of messages) bodies.add(message.Body!);
  }
  return bodies;
}

export function missing(acknowledged: Set<string>, received: Set<string>): string[] {
  return [...acknowledged].filter((body) => !received.has(body));
}
