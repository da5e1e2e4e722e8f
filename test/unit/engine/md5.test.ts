import { describe, expect, it } from 'vitest';
import { md5OfAttributes, md5OfBody } from '../../../server/src/engine/md5.js';
import { Harness } from './harness.js';
import type { MessageAttributeValue } from '../../../server/src/engine/actions.js';

// Digests recorded from real Amazon SQS responses.
const string = (value: string) => ({ DataType: 'String', StringValue: value });

describe('MD5 digests as SQS computes them', () => {
  it('hashes the UTF-8 body', () => {
    expect(md5OfBody('hello')).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(md5OfBody('msg')).toBe('6e2baaf3b97dbeef01c0043275f9a0e7');
    expect(md5OfBody('h\u00e9llo \u{1F600}')).toBe('207dd4f0cd7a4f13b4932646cd1f8f2b');
  });

  it('hashes attribute maps sorted by name with length-prefixed fields', () => {
    expect(md5OfAttributes({ Foo: string('Bar') })).toBe('ae7155c6026991b6d54b11589678bf9c');
    expect(md5OfAttributes({ Hello: string('There'), General: string('Kenobi'), 'Help.Me': string('Me') }))
      .toBe('4c360f3fdafd970e05fae2f149d997f5');
    expect(md5OfAttributes({ General: string('Kenobi'), Hello: string('There') })).toBe('fca026605781cb4126a1e9044df24232');
    expect(md5OfAttributes({ Hello: string('There') })).toBe('a311262e065454b75da111d535b8dacd');
  });

  it('omits the digest for no attributes', () => {
    expect(md5OfAttributes(undefined)).toBeUndefined();
    expect(md5OfAttributes({})).toBeUndefined();
  });

  it('uses transport type 2 and the decoded bytes for binary values', () => {
    const binary = md5OfAttributes({ b: { DataType: 'Binary', BinaryValue: Buffer.from('abc').toString('base64') } });
    const asString = md5OfAttributes({ b: { DataType: 'Binary', StringValue: 'abc' } });
    expect(binary).toMatch(/^[0-9a-f]{32}$/);
    expect(binary).not.toBe(asString);
  });

  it('returns the digest of the attributes actually returned on receive', () => {
    const h = new Harness();
    h.createQueue('q');
    const sent = h.send('q', 'msg', {
      MessageAttributes: { General: string('Kenobi'), Hello: string('There'), 'Help.Me': string('Me') },
    });
    expect(sent.MD5OfMessageAttributes).toBe('4c360f3fdafd970e05fae2f149d997f5');
    const [all] = h.receive('q', { MessageAttributeNames: ['All'], VisibilityTimeout: 0 });
    expect(all?.MD5OfMessageAttributes).toBe('4c360f3fdafd970e05fae2f149d997f5');
    // Recorded SQS (LocalStack's AWS-validated test_receive_message_message_attribute_names_filters):
    // `*` and `.*` mean all, like `All`; illegal names such as `AWS.` or `..foo` just match nothing.
    for (const wildcard of ['*', '.*']) {
      const [every] = h.receive('q', { MessageAttributeNames: [wildcard], VisibilityTimeout: 0 });
      expect(Object.keys(every?.MessageAttributes ?? {})).toEqual(['General', 'Hello', 'Help.Me']);
      expect(every?.MD5OfMessageAttributes).toBe('4c360f3fdafd970e05fae2f149d997f5');
    }
    for (const illegal of ['AWS.', '..foo']) {
      expect(h.receive('q', { MessageAttributeNames: [illegal], VisibilityTimeout: 0 })[0]?.MessageAttributes).toBeUndefined();
    }
    const [prefixed] = h.receive('q', { MessageAttributeNames: ['Hel.*'], VisibilityTimeout: 0 });
    expect(Object.keys(prefixed?.MessageAttributes ?? {})).toEqual(['Hello', 'Help.Me']);
    expect(prefixed?.MD5OfMessageAttributes).toBe('83fee93c1bcd8b9a5a923ffacdc636c7');
    const [some] = h.receive('q', { MessageAttributeNames: ['Hello', 'Nope'], VisibilityTimeout: 0 });
    expect(some?.MD5OfMessageAttributes).toBe('a311262e065454b75da111d535b8dacd');
    const [none] = h.receive('q', { MessageAttributeNames: ['Nope'], VisibilityTimeout: 0 });
    expect(none?.MessageAttributes).toBeUndefined();
    expect(none?.MD5OfMessageAttributes).toBeUndefined();
  });

  it('selects a message attribute named __proto__ by name like any other', () => {
    const h = new Harness();
    h.createQueue('q');
    const attributes = JSON.parse('{"__proto__":{"DataType":"String","StringValue":"v"},"b":{"DataType":"String","StringValue":"w"}}') as Record<string, MessageAttributeValue>;
    h.send('q', 'msg', { MessageAttributes: attributes });
    const [named] = h.receive('q', { MessageAttributeNames: ['__proto__'], VisibilityTimeout: 0 });
    expect(Object.keys(named?.MessageAttributes ?? {})).toEqual(['__proto__']);
    expect(named?.MD5OfMessageAttributes).toBe(md5OfAttributes(JSON.parse('{"__proto__":{"DataType":"String","StringValue":"v"}}') as Record<string, MessageAttributeValue>));
  });

  it('reports MD5OfMessageSystemAttributes for AWSTraceHeader', () => {
    const h = new Harness();
    h.createQueue('q');
    const trace = { AWSTraceHeader: string('Root=1-5759e988-bd862e3fe1be46a994272793') };
    const sent = h.send('q', 'x', { MessageSystemAttributes: trace });
    expect(sent.MD5OfMessageSystemAttributes).toBe(md5OfAttributes(trace));
    const [received] = h.receive('q', { MessageSystemAttributeNames: ['AWSTraceHeader'] });
    expect(received?.Attributes).toEqual({ AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' });
  });
});
