/**
 * The testkit on Docker: `replimq:local` built from server/Dockerfile on the local base image.
 * Skipped with the reason when no engine is reachable, except in CI, where it must run.
 */
import { beforeAll, describe } from 'vitest';
import { ReplimqContainer } from '../../client/src/container.js';
import { clusterSkipReason, containerSkipReason } from './support/environment.js';
import { ensureImage } from './support/image.js';
import { defineClusterScenarios } from './support/cluster-scenarios.js';
import { defineSingleNodeScenarios } from './support/single-node-scenarios.js';

describe.skipIf(containerSkipReason !== undefined)(`container runtime${containerSkipReason ? ` (skipped: ${containerSkipReason})` : ''}`, () => {
  beforeAll(() => ensureImage(), 120_000);

  describe('single node', () => {
    defineSingleNodeScenarios(({ storage, queues }) => {
      const container = new ReplimqContainer().withStorage(storage);
      return (queues ? container.withQueues(queues) : container).start();
    });
  });

  describe.skipIf(clusterSkipReason !== undefined)(`3-node cluster${clusterSkipReason ? ` (skipped: ${clusterSkipReason})` : ''}`, () => {
    defineClusterScenarios('container');
  });
});
