/**
 * AWS JSON 1.0, as `@aws-sdk/client-sqs` v3 speaks it: `POST /` with
 * `X-Amz-Target: AmazonSQS.<Action>` and the input as a JSON object; answers are the output
 * object, errors `{"__type": "<namespace>#<Shape>", "message": …}` plus the legacy Query code in
 * `x-amzn-query-error: <code>;<Sender|Receiver>` (the SQS model is `awsQueryCompatible`: the SDK
 * picks the error class from that header).
 */
import { isActionName, type ActionName, type SqsRequest } from '../engine/actions.js';
import { SQS_ERRORS, SqsError, type SqsErrorCode } from '../engine/errors.js';
import { ACTIONS_WITHOUT_OUTPUT, ACTION_SHAPES } from './action-shapes.js';
import { readJsonStructure } from './json-shape-reader.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AmazonSQS.';

export function decodeJsonRequest(target: string | undefined, body: Buffer): SqsRequest {
  const action = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (action === undefined || !isActionName(action)) {
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
  if (ACTIONS_WITHOUT_OUTPUT.has(action)) return '';
  return JSON.stringify(withoutEmptyMembers(output));
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
