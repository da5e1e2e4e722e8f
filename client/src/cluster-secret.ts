/**
 * Every cluster the testkit starts gets a fresh random secret its members prove themselves with
 * (a server refuses to form a cluster without one), passed by environment so that it never shows
 * in a process list. A secret the test set itself, or `REPLIMQ_INSECURE_CLUSTER`, is left alone.
 */
import { randomBytes } from 'node:crypto';
import type { SharedNodeOptions } from './cluster-runtime.js';

const OWN_SETTINGS = ['REPLIMQ_CLUSTER_SECRET', 'REPLIMQ_CLUSTER_SECRET_FILE', 'REPLIMQ_INSECURE_CLUSTER'];

export function withClusterSecret(options: SharedNodeOptions): SharedNodeOptions {
  const environment = options.environment ?? {};
  if (OWN_SETTINGS.some((name) => environment[name] !== undefined)) return options;
  return { ...options, environment: { ...environment, REPLIMQ_CLUSTER_SECRET: randomBytes(32).toString('hex') } };
}
