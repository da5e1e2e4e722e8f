/**
 * Starting and stopping a server child process: wait until it answers, keep its last output
 * lines for the error message when it does not, and stop it without leaving strays behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';

export interface ChildServer {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Last lines the child printed: the explanation when it dies or never becomes ready. */
  output(): string;
  stop(): Promise<void>;
}

const OUTPUT_LINES_KEPT = 40;

/** `execPath`: the Node binary (the bench's own by default; Node 22 for the `-node22` systems). */
export function spawnServer(name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, execPath = process.execPath): ChildServer {
  const child = spawn(execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${args.join(' ')}`);
  return {
    process: child,
    pid: child.pid,
    output: () => lines.join('\n'),
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if the child has not exited within the grace period. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Polls `url` with GET until it answers 2xx. Fails early, with the child's output, when the child
 * exits; fails naming the URL when the deadline passes.
 */
export async function waitUntilAnswering(server: ChildServer, url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      throw new Error(`exited (${server.process.exitCode ?? server.process.signalCode}) before ${url} answered:\n${server.output()}`);
    }
    if ((await httpGetStatus(url)) === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Status of a GET, or 0 when the connection fails. */
export function httpGetStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve(0));
    request.setTimeout(2_000, () => request.destroy());
  });
}

/** GET and parse a JSON answer; undefined when the call fails or the answer is not JSON. */
export function httpGetJson(url: string): Promise<unknown> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          resolve(undefined);
        }
      });
    });
    request.on('error', () => resolve(undefined));
    request.setTimeout(2_000, () => request.destroy());
  });
}
