/**
 * The cluster keeps each node's state (running, killed, paused) and decides what a fault on a node
 * in that state means, the same for both runtimes: Docker answered a 409 about the container where
 * a process was silently marked "paused" with nothing to freeze.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterRuntime, ControllableNode } from '../../../client/src/cluster-runtime.js';
import { InvalidOptionError } from '../../../client/src/errors.js';
import { StartedReplimqCluster } from '../../../client/src/started-cluster.js';

function fakeCluster(size: number): { cluster: StartedReplimqCluster; calls: string[] } {
  const calls: string[] = [];
  const node = (number: number): ControllableNode => {
    const record = (what: string) => async () => {
      calls.push(`${what} ${number}`);
    };
    return {
      nodeId: `n${number}`,
      getEndpoint: () => `http://127.0.0.1:1`,
      getAdminEndpoint: () => `http://127.0.0.1:1`,
      getAdminToken: () => 'token',
      getConnectionUri: () => `http://127.0.0.1:1`,
      getAdminUri: () => `http://127.0.0.1:1`,
      getRegion: () => 'us-east-1',
      getCredentials: () => ({ accessKeyId: 'x', secretAccessKey: 'x' }),
      getQueueUrl: (name) => `http://127.0.0.1:1/000000000000/${name}`,
      sqsClient: () => {
        throw new Error('not in this test');
      },
      admin: () => {
        throw new Error('not in this test');
      },
      lastLogLines: () => [],
      kill: record('kill'),
      pause: record('pause'),
      unpause: record('unpause'),
      restart: record('restart'),
      stop: record('stop'),
    };
  };
  const runtime: ClusterRuntime = {
    kind: 'process',
    startNodes: async () => [],
    addNode: async () => {
      throw new Error('not in this test');
    },
    partition: async () => {},
    heal: async () => {},
    nodeBack: async (number) => {
      calls.push(`nodeBack ${number}`);
    },
    stop: async () => {},
  };
  const nodes = Array.from({ length: size }, (_, index) => node(index + 1));
  return { cluster: new StartedReplimqCluster(runtime, nodes), calls };
}

describe('faults on nodes that are already down', () => {
  it('refuses to pause or unpause a killed node, naming restart()', async () => {
    const { cluster, calls } = fakeCluster(3);
    await cluster.kill(2);
    await expect(cluster.pause(2)).rejects.toThrow(InvalidOptionError);
    await expect(cluster.pause(2)).rejects.toThrow(/node 2 is killed, so it cannot be paused; restart\(2\) brings it back/);
    await expect(cluster.unpause(2)).rejects.toThrow(/node 2 is killed, not paused; restart\(2\)/);
    expect(calls).toEqual(['kill 2']);
    expect(cluster.stateOf(2)).toBe('killed');
  });

  it('makes a repeated kill, pause or unpause do nothing', async () => {
    const { cluster, calls } = fakeCluster(3);
    await cluster.unpause(1);
    await cluster.pause(1);
    await cluster.pause(1);
    await cluster.unpause(1);
    await cluster.kill(3);
    await cluster.kill(3);
    expect(calls).toEqual(['pause 1', 'unpause 1', 'nodeBack 1', 'kill 3']);
  });

  it('kills a paused node directly, and restart() brings any node back to running', async () => {
    const { cluster, calls } = fakeCluster(3);
    await cluster.pause(1);
    await cluster.kill(1);
    await cluster.restart(1);
    await cluster.pause(2);
    await cluster.restart(2);
    expect(calls).toEqual(['pause 1', 'kill 1', 'restart 1', 'nodeBack 1', 'pause 2', 'unpause 2', 'restart 2', 'nodeBack 2']);
    expect([cluster.stateOf(1), cluster.stateOf(2)]).toEqual(['running', 'running']);
  });
});
