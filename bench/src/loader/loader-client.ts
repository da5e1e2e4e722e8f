/** The benchmark's handle on its loader process: one request at a time, answered in order. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoaderMeasurement, LoaderReply, LoaderRequest, PrepareRequest } from './loader-protocol.js';

export class LoaderClient {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(reply: LoaderReply): void; reject(error: Error): void }>();

  constructor() {
    this.child = fork(fileURLToPath(new URL('./loader-process.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (reply: LoaderReply) => {
      this.waiting.get(reply.id)?.resolve(reply);
      this.waiting.delete(reply.id);
    });
    this.child.on('exit', (code, signal) => {
      for (const { reject } of this.waiting.values()) reject(new Error(`loader process exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  async prepare(request: Omit<PrepareRequest, 'type'>): Promise<void> {
    await this.request({ type: 'prepare', ...request });
  }

  async measure(): Promise<LoaderMeasurement> {
    const reply = await this.request({ type: 'measure' });
    return reply.measurement!;
  }

  async cleanup(): Promise<void> {
    await this.request({ type: 'cleanup' });
  }

  close(): void {
    this.child.disconnect();
  }

  private request(body: Omit<PrepareRequest, 'id'> | { type: 'measure' | 'cleanup' }): Promise<Extract<LoaderReply, { ok: true }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (reply) => (reply.ok ? resolve(reply) : reject(new Error(`loader: ${reply.error}`))),
        reject,
      });
      this.child.send({ ...body, id } as LoaderRequest);
    });
  }
}
