/**
 * Ports for process-runtime nodes and published container ports: picked on 127.0.0.1, checked
 * free, then released for the node.
 *
 * Not from the kernel's ephemeral range (port 0): every outgoing connection of every process takes
 * its source port from there, and so does every other `listen(0)`. A node restarted on its port
 * (kill/restart keeps a node's address) would then find it taken by a connection or another test
 * process's node often enough to fail test runs that work in parallel. Below the ephemeral range
 * only explicit binds take ports, and a random pick there collides with another process's pick
 * about once in ten thousand.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports this process already handed out: a node given the same port twice fails to start. */
const handedOut = new Set<number>();
const ATTEMPTS = 100;
const LOWEST = 10_000;
/** Linux's default lower bound, also below macOS's and Windows' (49152). */
const DEFAULT_EPHEMERAL_LOW = 32_768;
const MIN_RANGE = 1_000;

export async function freePort(): Promise<number> {
  const below = ephemeralLow();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = below - LOWEST >= MIN_RANGE ? randomInt(LOWEST, below) : await askKernelForPort();
    if (handedOut.has(port)) continue;
    // Claimed before the check, so that concurrent calls never hand out one port twice.
    handedOut.add(port);
    if (await isFree(port)) return port;
    handedOut.delete(port);
  }
  throw new Error(`no free port on 127.0.0.1 that this process has not handed out already after ${ATTEMPTS} attempts`);
}

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && Number.isInteger(low) && low > 0 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

function isFree(port: number): Promise<boolean> {
  return listenOn(port).then(
    () => true,
    () => false,
  );
}

function askKernelForPort(): Promise<number> {
  return listenOn(0);
}

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}
