import { describe, expect, it } from 'vitest';
import { withClusterSecret } from '../../../client/src/cluster-secret.js';

describe('the secret the testkit gives a cluster', () => {
  it('is fresh and random for every cluster, kept beside the test\'s own environment', () => {
    const first = withClusterSecret({ environment: { GRPC_TRACE: 'all' } });
    const second = withClusterSecret({ environment: { GRPC_TRACE: 'all' } });
    expect(first.environment).toMatchObject({ GRPC_TRACE: 'all', REPLIMQ_CLUSTER_SECRET: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(second.environment!['REPLIMQ_CLUSTER_SECRET']).not.toBe(first.environment!['REPLIMQ_CLUSTER_SECRET']);
  });

  it('leaves a secret, a secret file or --insecure-cluster the test chose alone', () => {
    const chosen: Record<string, string>[] = [{ REPLIMQ_CLUSTER_SECRET: 'chosen-by-the-test-1' }, { REPLIMQ_CLUSTER_SECRET_FILE: '/run/secret' }, { REPLIMQ_INSECURE_CLUSTER: 'true' }];
    for (const environment of chosen) {
      expect(withClusterSecret({ environment }).environment).toEqual(environment);
    }
  });
});
