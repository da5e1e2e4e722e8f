/** The account and region of a request, from its SigV4 credential (never verified). */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestAccount, requestCredential } from '../../../server/src/sqs/request-scope.js';

const HOME = { accountId: '000000000000', region: 'us-east-1' };

function request(authorization?: string): IncomingMessage {
  return { headers: authorization === undefined ? {} : { authorization } } as IncomingMessage;
}

const header = (credential: string): string =>
  `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=abc`;

describe('request scope', () => {
  it('takes the region of the Authorization header’s credential scope', () => {
    const credential = requestCredential(request(header('AKIDEXAMPLE/20261203/eu-central-1/sqs/aws4_request')));
    expect(credential).toEqual({ accessKeyId: 'AKIDEXAMPLE', region: 'eu-central-1' });
    expect(requestAccount(credential, HOME)).toEqual({ accountId: '000000000000', region: 'eu-central-1' });
  });

  it('takes an access key id of exactly 12 digits as the account', () => {
    const account = (key: string) => requestAccount(requestCredential(request(header(`${key}/20261203/us-east-1/sqs/aws4_request`))), HOME);
    expect(account('111111111111')).toEqual({ accountId: '111111111111', region: 'us-east-1' });
    expect(account('11111111111')).toEqual(HOME);
    expect(account('1111111111111')).toEqual(HOME);
    expect(account('AKIA11111111')).toEqual(HOME);
  });

  it('reads presigned requests’ X-Amz-Credential', () => {
    const params = new URLSearchParams({ 'X-Amz-Credential': '222222222222/20261203/ap-south-1/sqs/aws4_request' });
    expect(requestAccount(requestCredential(request(), params), HOME)).toEqual({ accountId: '222222222222', region: 'ap-south-1' });
  });

  it('falls back to the node’s own account and region without a credential or scope', () => {
    expect(requestAccount(requestCredential(request()), HOME)).toBe(HOME);
    expect(requestAccount(requestCredential(request(), new URLSearchParams({ AWSAccessKeyId: '333333333333' })), HOME))
      .toEqual({ accountId: '333333333333', region: 'us-east-1' });
    expect(requestAccount(requestCredential(request(header('AKID/20261203/Not A Region/sqs/aws4_request'))), HOME)).toBe(HOME);
  });

  it('answers each request from its own credential when consecutive requests alternate keys, scopes and nodes', () => {
    // The last credential and account are kept for the next request: a stale one must never leak.
    const OTHER_HOME = { accountId: '999999999999', region: 'sa-east-1' };
    const calls: [string, typeof HOME, { accountId: string; region: string }][] = [
      ['111111111111/20261203/eu-west-1/sqs/aws4_request', HOME, { accountId: '111111111111', region: 'eu-west-1' }],
      ['111111111111/20261203/eu-west-1/sqs/aws4_request', HOME, { accountId: '111111111111', region: 'eu-west-1' }],
      ['AKIDEXAMPLE/20261203/eu-west-1/sqs/aws4_request', HOME, { accountId: '000000000000', region: 'eu-west-1' }],
      ['AKIDEXAMPLE/20261203/eu-west-1/sqs/aws4_request', OTHER_HOME, { accountId: '999999999999', region: 'eu-west-1' }],
      ['AKIDEXAMPLE/20261203/Not A Region/sqs/aws4_request', OTHER_HOME, OTHER_HOME],
      ['111111111111/20261203/eu-west-1/sqs/aws4_request', OTHER_HOME, { accountId: '111111111111', region: 'eu-west-1' }],
      ['AKIDEXAMPLE', HOME, HOME],
    ];
    for (const [credential, home, expected] of calls) {
      expect(requestAccount(requestCredential(request(header(credential))), home)).toEqual(expected);
    }
  });
});
