/**
 * The testkit on the process runtime (nodes as child processes on 127.0.0.1): always runs, no
 * Docker needed.
 */
import { describe } from 'vitest';
import { ReplimqProcess } from '../../client/src/process-node.js';
import { defineClusterScenarios } from './support/cluster-scenarios.js';
import { clusterSkipReason } from './support/environment.js';
import { defineSingleNodeScenarios } from './support/single-node-scenarios.js';

describe('process runtime: single node', () => {
  defineSingleNodeScenarios(({ storage, queues }) => new ReplimqProcess({ storage, ...(queues ? { queues } : {}) }).start());
});

describe.skipIf(clusterSkipReason !== undefined)(`process runtime: 3-node cluster${clusterSkipReason ? ` (skipped: ${clusterSkipReason})` : ''}`, () => {
  defineClusterScenarios('process');
});
