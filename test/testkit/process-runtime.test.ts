/**
 * The testkit on the process runtime (nodes as child processes on 127.0.0.1): always runs, no
 * Docker needed.
 */
import { describe } from 'vitest';
import { ReplimqProcess } from '../../client/src/process-node.js';
import { defineSingleNodeScenarios } from './support/single-node-scenarios.js';

describe('process runtime: single node', () => {
  defineSingleNodeScenarios(({ storage, queues }) => new ReplimqProcess({ storage, ...(queues ? { queues } : {}) }).start());
});
