import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../client/src/free-port.js';

const RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

describe('free ports for nodes', () => {
  it.skipIf(!existsSync(RANGE_FILE))('come from below the ephemeral range, where no outgoing connection or listen(0) takes them, and never twice', async () => {
    const [low] = readFileSync(RANGE_FILE, 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low!);
    }
  });
});
