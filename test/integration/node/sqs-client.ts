/** An `@aws-sdk/client-sqs` v3 client for a local node: dummy credentials, no retries to hide bugs. */
import { SQSClient } from '@aws-sdk/client-sqs';

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}
