/**
 * AWS JSON 1.0, as `@aws-sdk/client-sqs` v3 speaks it: `POST /` with
 * `X-Amz-Target: AmazonSQS.<Action>` and the input as a JSON object; answers are the output
 * object, errors `{"__type": "<namespace>#<Shape>", "message": …}` plus the legacy Query code in
 * `x-amzn-query-error: <code>;<Sender|Receiver>` (the SQS model is `awsQueryCompatible`: the SDK
 * picks the error class from that header).
 */
import type { ActionName, SqsRequest } from '../engine/actions.js';
import { SQS_ERRORS, SqsError, type SqsErrorCode } from '../engine/errors.js';
import { ACTIONS_WITHOUT_OUTPUT, ACTION_SHAPES } from './action-shapes.js';
import { readJsonStructure } from './json-shape-reader.js';
import { sqsActionOfTarget } from './action-names.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

export function decodeJsonRequest(target: string | undefined, body: Buffer): SqsRequest {
  const action = target === undefined ? undefined : sqsActionOfTarget(target);
  if (action === undefined) {
    throw new SqsError('UnknownOperationException', 'An unknown operation was requested.');
  }
  const input = readJsonStructure(ACTION_SHAPES[action].input, parseJsonBody(body), '');
  // The shape reader just checked every member against this action's input shape.
  return { action, input } as SqsRequest;
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new SqsError('SerializationException', 'The request body is not valid JSON.', { cause: error });
  }
}

/**
 * The answer body as SQS sends it: empty for an action without output (DeleteMessage, TagQueue,
 * …), and without empty lists (`Failed: []` of an all-successful batch, `queueUrls: []`), which
 * SQS leaves out and clients such as Java SDK v2's `hasFailed()` rely on being absent. Empty maps
 * are left out too: recorded SQS answers GetQueueAttributes for a removed Policy, and
 * ListQueueTags after the last UntagQueue, without `Attributes` / `Tags`.
 */
export function encodeJsonOutput(action: ActionName, output: object): string {
  return encodeJsonAnswer(action, output).body;
}

/** The answer body and its length in bytes. A flat output is ASCII: its length is its byte
 *  count, and `Buffer.byteLength` (which took the slow path on a joined string) is not needed. */
export function encodeJsonAnswer(action: ActionName, output: object): { body: string; bytes: number } {
  if (ACTIONS_WITHOUT_OUTPUT.has(action)) return { body: '', bytes: 0 };
  const flat = flatJson(output);
  if (flat !== undefined) return { body: flat, bytes: flat.length };
  const body = JSON.stringify(withoutEmptyMembers(output));
  return { body, bytes: Buffer.byteLength(body) };
}

/**
 * An output of printable-ASCII strings only (SendMessage's ids and MD5s, CreateQueue's URL), the
 * way `JSON.stringify` writes it, or undefined for any other. Such a string needs no escaping,
 * and checking and joining the pieces took less than half of `JSON.stringify`'s time for
 * SendMessage's answer. `for in` walks the members in the same order as `JSON.stringify`.
 */
function flatJson(output: object): string | undefined {
  // A plain object: nothing inherited (a `toJSON`) can change what JSON.stringify would write.
  if (Object.getPrototypeOf(output) !== Object.prototype) return undefined;
  const fields = output as Record<string, unknown>;
  let json = '{';
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) return undefined;
    const value = fields[key];
    if (typeof value !== 'string' || !isPlainJsonText(value) || !isPlainJsonText(key)) return undefined;
    json += `${json.length === 1 ? '"' : ',"'}${key}":"${value}"`;
  }
  return json + '}';
}

/** Printable ASCII without a quote or a backslash: written into JSON as it is. */
function isPlainJsonText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/** Lists and maps only occur at the top level of SQS outputs; copies only when one is empty. The copy
 *  is built from the members kept, never by `delete` (which turns the object into a slow
 *  dictionary that JSON.stringify then walks: an all-successful batch's `Failed: []` paid for it
 *  on every answer), and keys are walked with `for in`, not an `Object.entries` array. */
function withoutEmptyMembers(output: object): object {
  const fields = output as Record<string, unknown>;
  for (const key in fields) {
    if (Object.hasOwn(fields, key) && isEmpty(fields[key])) return keptMembers(fields);
  }
  return output;
}

function keptMembers(fields: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key in fields) {
    if (Object.hasOwn(fields, key) && !isEmpty(fields[key])) kept[key] = fields[key];
  }
  return kept;
}

/** An empty list, or an empty map (a plain object without keys). */
function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

export function encodeJsonError(error: SqsError): string {
  return JSON.stringify({ __type: jsonErrorType(error.code), message: error.message });
}

/** `x-amzn-query-error` header value. */
export function queryErrorHeader(error: SqsError): string {
  return `${error.queryCode};${error.fault}`;
}

/**
 * Errors in the SQS model carry the service's namespace; the others come from the AWS request
 * framework ("coral") with its own names, as real SQS sends them.
 */
const FRAMEWORK_ERROR_TYPES: Partial<Record<SqsErrorCode, string>> = {
  InvalidParameterValue: 'com.amazon.coral.service#InvalidParameterValueException',
  MissingParameter: 'com.amazon.coral.service#MissingRequiredParameterException',
  InvalidParameterCombination: 'com.amazon.coral.service#InvalidParameterCombinationException',
  InvalidQueryParameter: 'com.amazon.coral.service#InvalidQueryParameterException',
  MalformedQueryString: 'com.amazon.coral.service#MalformedQueryStringException',
  ValidationError: 'com.amazon.coral.validate#ValidationException',
  AccessDenied: 'com.amazon.coral.service#AccessDeniedException',
  InvalidAction: 'com.amazon.coral.service#UnknownOperationException',
  UnknownOperationException: 'com.amazon.coral.service#UnknownOperationException',
  UnrecognizedRequest: 'com.amazon.coral.service#UnknownOperationException',
  SerializationException: 'com.amazon.coral.service#SerializationException',
  MissingAuthenticationToken: 'com.amazon.coral.service#MissingAuthenticationTokenException',
  InvalidClientTokenId: 'com.amazon.coral.service#UnrecognizedClientException',
  SignatureDoesNotMatch: 'com.amazon.coral.service#InvalidSignatureException',
  IncompleteSignature: 'com.amazon.coral.service#IncompleteSignatureException',
  ServiceUnavailable: 'com.amazon.coral.service#ServiceUnavailableException',
  InternalFailure: 'com.amazon.coral.service#InternalFailure',
  ThrottlingException: 'com.amazon.coral.availability#ThrottlingException',
};

function jsonErrorType(code: SqsErrorCode): string {
  if (SQS_ERRORS[code].modeled) return `com.amazonaws.sqs#${code}`;
  return FRAMEWORK_ERROR_TYPES[code] ?? `com.amazon.coral.service#${code}Exception`;
}
