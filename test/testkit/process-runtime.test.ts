/**
 * The testkit on the process runtime (nodes as child processes on 127.0.0.1): always runs, no
 * Docker needed.
 */
import { describe, expect, it } from 'vitest';
import { ReplimqProcess } from '../../client/src/process-node.js';
import { processAlive, runAndEndWithoutStop } from './support/cleanup-checks.js';
import { defineClusterScenarios } from './support/cluster-scenarios.js';
import { defineSingleNodeScenarios } from './support/single-node-scenarios.js';

describe('process runtime: single node', () => {
  // The container's builder, as the container suite writes it.
  defineSingleNodeScenarios(({ storage, queues }) => {
    const node = new ReplimqProcess().withStorage(storage);
    return (queues ? node.withQueues(queues) : node).start();
  });
});

describe('process runtime: 3-node cluster', () => {
  defineClusterScenarios('process');
});

describe('process runtime: cleanup', () => {
  it('stop() ends every node process', async () => {
    const node = await new ReplimqProcess().start();
    const pid = node.pid!;
    expect(processAlive(pid)).toBe(true);
    await node.stop();
    expect(processAlive(pid)).toBe(false);
  });

  it.each(['exit', 'SIGTERM'] as const)('kills the node a test forgot to stop when its process ends by %s', (ending) => {
    const pid = Number(runAndEndWithoutStop('const node = await new testkit.ReplimqProcess().start(); console.log(node.pid);', ending));
    expect(pid).toBeGreaterThan(0);
    expect(processAlive(pid)).toBe(false);
  });
});
