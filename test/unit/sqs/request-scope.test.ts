/** The caller, account and region of a request, from its SigV4 credential (never verified). */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestScope } from '../../../server/src/sqs/request-scope.js';
import { ANONYMOUS_SENDER_ID } from '../../../server/src/sqs/request-origin.js';

const HOME = { accountId: '000000000000', region: 'us-east-1' };

function request(authorization?: string): IncomingMessage {
  return { headers: authorization === undefined ? {} : { authorization } } as IncomingMessage;
}

const header = (credential: string): string =>
  `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=abc`;

describe('request scope', () => {
  it('takes the region of the Authorization header’s credential scope, and its key as the SenderId', () => {
    const scope = requestScope(request(header('AKIDEXAMPLE/20261203/eu-central-1/sqs/aws4_request')), HOME);
    expect(scope).toEqual({ senderId: 'AKIDEXAMPLE', account: { accountId: '000000000000', region: 'eu-central-1' } });
  });

  it('takes an access key id of exactly 12 digits as the account', () => {
    const account = (key: string) => requestScope(request(header(`${key}/20261203/us-east-1/sqs/aws4_request`)), HOME).account;
    expect(account('111111111111')).toEqual({ accountId: '111111111111', region: 'us-east-1' });
    expect(account('11111111111')).toEqual(HOME);
    expect(account('1111111111111')).toEqual(HOME);
    expect(account('AKIA11111111')).toEqual(HOME);
  });

  it('reads presigned requests’ X-Amz-Credential', () => {
    const params = new URLSearchParams({ 'X-Amz-Credential': '222222222222/20261203/ap-south-1/sqs/aws4_request' });
    expect(requestScope(request(), HOME, params)).toEqual({ senderId: '222222222222', account: { accountId: '222222222222', region: 'ap-south-1' } });
  });

  it('reads SigV2’s AWSAccessKeyId as a key without a scope, even with slashes in it', () => {
    const scope = (key: string) => requestScope(request(), HOME, new URLSearchParams({ AWSAccessKeyId: key }));
    expect(scope('333333333333')).toEqual({ senderId: '333333333333', account: { accountId: '333333333333', region: 'us-east-1' } });
    expect(scope('AKID/20261203/eu-west-1')).toEqual({ senderId: 'AKID/20261203/eu-west-1', account: HOME });
  });

  it('falls back to the node’s own account and region, and the anonymous SenderId, without a credential or scope', () => {
    expect(requestScope(request(), HOME)).toEqual({ senderId: ANONYMOUS_SENDER_ID, account: HOME });
    expect(requestScope(request(), HOME).account).toBe(HOME);
    expect(requestScope(request('AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc'), HOME)).toEqual({ senderId: ANONYMOUS_SENDER_ID, account: HOME });
    expect(requestScope(request(header('/20261203/eu-west-1/sqs/aws4_request')), HOME)).toEqual({ senderId: ANONYMOUS_SENDER_ID, account: HOME });
    expect(requestScope(request(header('AKID/20261203/Not A Region/sqs/aws4_request')), HOME).account).toBe(HOME);
  });

  it('answers each request from its own credential when consecutive requests alternate keys, scopes and nodes', () => {
    // The last credential's scope is kept for the next request: a stale one must never leak.
    const OTHER_HOME = { accountId: '999999999999', region: 'sa-east-1' };
    const calls: [string | undefined, typeof HOME, { senderId: string; account: { accountId: string; region: string } }][] = [
      ['111111111111/20261203/eu-west-1/sqs/aws4_request', HOME, { senderId: '111111111111', account: { accountId: '111111111111', region: 'eu-west-1' } }],
      ['111111111111/20261203/eu-west-1/sqs/aws4_request', HOME, { senderId: '111111111111', account: { accountId: '111111111111', region: 'eu-west-1' } }],
      ['AKIDEXAMPLE/20261203/eu-west-1/sqs/aws4_request', HOME, { senderId: 'AKIDEXAMPLE', account: { accountId: '000000000000', region: 'eu-west-1' } }],
      ['AKIDEXAMPLE/20261203/eu-west-1/sqs/aws4_request', OTHER_HOME, { senderId: 'AKIDEXAMPLE', account: { accountId: '999999999999', region: 'eu-west-1' } }],
      [undefined, OTHER_HOME, { senderId: ANONYMOUS_SENDER_ID, account: OTHER_HOME }],
      [undefined, HOME, { senderId: ANONYMOUS_SENDER_ID, account: HOME }],
      ['AKIDEXAMPLE/20261203/Not A Region/sqs/aws4_request', OTHER_HOME, { senderId: 'AKIDEXAMPLE', account: OTHER_HOME }],
      ['111111111111/20261203/eu-west-1/sqs/aws4_request', OTHER_HOME, { senderId: '111111111111', account: { accountId: '111111111111', region: 'eu-west-1' } }],
      ['AKIDEXAMPLE', HOME, { senderId: 'AKIDEXAMPLE', account: HOME }],
    ];
    for (const [credential, home, expected] of calls) {
      expect(requestScope(request(credential === undefined ? undefined : header(credential)), home)).toEqual(expected);
    }
  });
});
