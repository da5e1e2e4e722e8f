/**
 * The testkit on Docker: the default image (`replimq:<version>`), built by the testkit's own
 * builder from server/Dockerfile (on the local base image where no registry answers).
 * Skipped with the reason when no engine is reachable, except in CI, where it must run.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { ReplimqContainer } from '../../client/src/container.js';
import type { StartedReplimqContainer } from '../../client/src/container.js';
import { containerSkipReason } from './support/environment.js';
import { dockerObjectExists, networksOf, ownNetworks, runAndEndWithoutStop } from './support/cleanup-checks.js';
import { ImageUnavailableError, NodeStartError } from '../../client/src/errors.js';
import { sweepOrphans } from '../../client/src/orphan-sweep.js';
import { ensureEngineInCi, ensureImage } from './support/image.js';
import { defineClusterScenarios } from './support/cluster-scenarios.js';
import { defineSingleNodeScenarios } from './support/single-node-scenarios.js';

describe.skipIf(containerSkipReason !== undefined)(`container runtime${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  beforeAll(async () => {
    await ensureEngineInCi();
    ensureImage();
  }, 300_000);

  describe('single node', () => {
    defineSingleNodeScenarios(({ storage, queues }) => {
      const container = new ReplimqContainer().withStorage(storage);
      return (queues ? container.withQueues(queues) : container).start();
    });
  });

  describe('3-node cluster', () => {
    defineClusterScenarios('container');
  });

  describe('errors', () => {
    // Without the up-front check, each node reported "did not become healthy" with a registry
    // error, and the cluster blamed node 1 for what no node could do.
    // A replimq image the testkit builds (image-build.test.ts); any other name it must pull.
    it('a missing image that cannot be pulled fails before anything starts, with one error naming it', async () => {
      const image = 'registry.invalid/replimq:no-such-image-testkit';
      const networksBefore = ownNetworks();
      for (const start of [() => new ReplimqCluster(3).withRuntime('container').withImage(image).start(), () => new ReplimqContainer(image).start()]) {
        const error = await start().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ImageUnavailableError);
        expect(error).toMatchObject({ image, message: expect.stringMatching(/^image registry\.invalid\/replimq:no-such-image-testkit is not on the Docker engine and could not be pulled .*REPLIMQ_IMAGE/) });
      }
      expect(ownNetworks()).toEqual(networksBefore);
    }, 60_000);

    // testcontainers' own words were "URL /health not accessible", though the node answered (503).
    it('a node that never follows a leader names what was awaited and for how long', async () => {
      const error = await new ReplimqContainer()
        .withNodeId('n1')
        .withPeers([
          { id: 'n1', host: 'localhost', port: 9326 },
          { id: 'n2', host: 'nowhere', port: 9326 },
        ])
        .withEnvironment({ REPLIMQ_CLUSTER_SECRET: randomBytes(32).toString('hex') })
        .withStartupTimeout(3_000)
        .start()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NodeStartError);
      expect((error as NodeStartError).message).toMatch(
        /^replimq node n1 \(image \S+\) did not report healthy within 3000 ms: waited for GET \/health on the admin port to answer 200, which it does once the node follows an elected leader/,
      );
      expect((error as NodeStartError).lastLogLines.join('\n')).toContain('raft starting');
    }, 60_000);
  });

  describe('cleanup', () => {
    it('stop() removes every container and network of a cluster, the partition network included', async () => {
      let containers: string[];
      let networks: string[];
      {
        await using cluster = await new ReplimqCluster(2).withRuntime('container').start();
        containers = cluster.nodes.map((node) => (node as StartedReplimqContainer).getId());
        await cluster.partition([1]);
        networks = [...new Set(containers.flatMap(networksOf))];
        expect(networks).toHaveLength(2);
      }
      expect(containers.filter((id) => dockerObjectExists('container', id))).toEqual([]);
      expect(networks.filter((name) => dockerObjectExists('network', name))).toEqual([]);
    }, 120_000);

    it.each(['exit', 'SIGTERM'] as const)('removes the container a test forgot to stop when its process ends by %s', (ending) => {
      const id = runAndEndWithoutStop('const node = await new testkit.ReplimqContainer().start(); console.log(node.getId());', ending);
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      expect(dockerObjectExists('container', id)).toBe(false);
    }, 120_000);

    it('sweeps what a SIGKILLed test process left behind', async () => {
      const id = runAndEndWithoutStop(
        'const cluster = await new testkit.ReplimqCluster(1).withRuntime("container").start(); console.log(cluster.node(1).getId());',
        'SIGKILL',
      );
      const [network] = networksOf(id);
      expect(network).toMatch(/^replimq-/);
      expect(dockerObjectExists('container', id)).toBe(true);
      await sweepOrphans();
      expect(dockerObjectExists('container', id)).toBe(false);
      expect(dockerObjectExists('network', network!)).toBe(false);
    }, 120_000);
  });
});
