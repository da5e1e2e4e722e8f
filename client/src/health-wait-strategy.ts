/**
 * Waits for a container's `GET /health` to answer 200, polling often.
 *
 * testcontainers' `Wait.forHttp` polls once per read timeout (1 s by default; the same number is
 * both the poll interval and each request's timeout), so a node that turned healthy just after a
 * poll was seen up to a second late — most of the difference between a container cluster's start
 * and a process cluster's. Here the poll interval is short and the request timeout stays generous
 * (a loaded CI machine may take a while to answer); whether the container exited is asked of the
 * engine less often than the node is polled, since each ask is a Docker API call.
 */
import { getContainerRuntimeClient } from 'testcontainers';
import type { WaitStrategy } from 'testcontainers';
import { waitFor } from './clock.js';
import { WaitTimeoutError } from './errors.js';

type WaitedContainer = Parameters<WaitStrategy['waitUntilReady']>[0];
type BoundPorts = Parameters<WaitStrategy['waitUntilReady']>[1];

export interface HealthWaitOptions {
  /** Between two polls of /health. */
  pollIntervalMs: number;
  /** Each request's own timeout. */
  requestTimeoutMs: number;
  /** Between two asks whether the container has exited. */
  exitCheckIntervalMs: number;
}

export const HEALTH_WAIT_DEFAULTS: HealthWaitOptions = { pollIntervalMs: 50, requestTimeoutMs: 1_000, exitCheckIntervalMs: 500 };

export class HealthWaitStrategy implements WaitStrategy {
  private startupTimeoutMs = 60_000;
  private startupTimeoutSet = false;

  constructor(
    private readonly port: number,
    private readonly path = '/health',
    private readonly options: HealthWaitOptions = HEALTH_WAIT_DEFAULTS,
  ) {}

  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    this.startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }

  async waitUntilReady(container: WaitedContainer, boundPorts: BoundPorts): Promise<void> {
    const client = await getContainerRuntimeClient();
    const url = `http://${client.info.containerRuntime.host}:${boundPorts.getBinding(this.port)}${this.path}`;
    const { pollIntervalMs, requestTimeoutMs, exitCheckIntervalMs } = this.options;
    let nextExitCheck = 0;
    try {
      await waitFor(
        `${this.path} to answer 200`,
        async () => {
          if (Date.now() >= nextExitCheck) {
            nextExitCheck = Date.now() + exitCheckIntervalMs;
            // Exited: no point waiting (the node's last log lines come with the start error).
            if ((await client.container.inspect(container)).State.Status === 'exited') throw new Error('Container exited during HTTP healthCheck');
          }
          return (await answers200(url, requestTimeoutMs)) ? true : undefined;
        },
        { timeoutMs: this.startupTimeoutMs, intervalMs: pollIntervalMs },
      );
    } catch (error) {
      // Worded as testcontainers' HTTP wait words it: container.ts explains the message.
      if (error instanceof WaitTimeoutError) throw new Error(`URL ${this.path} not accessible after ${this.startupTimeoutMs}ms`);
      throw error;
    }
  }
}

async function answers200(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
