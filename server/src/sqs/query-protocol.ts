/**
 * The AWS Query protocol: `Action=<Action>&Version=2012-11-05&…` as a form body (or a GET query
 * string), sent to `/` or to a queue's URL; answers are XML documents
 * `<XResponse><XResult>…</XResult><ResponseMetadata>…` and errors `<ErrorResponse>`.
 */
import type { ActionName, SqsRequest } from '../engine/actions.js';
import type { SqsError } from '../engine/errors.js';
import { ACTIONS_WITHOUT_OUTPUT, ACTION_SHAPES } from './action-shapes.js';
import { unknownAction, unrecognizedRequest } from './parameter-errors.js';
import { sqsActionNamed } from './action-names.js';
import { buildParamTree, readQueryStructure } from './query-shape-reader.js';
import { escapeXml, writeStructureMembers } from './xml-writer.js';

export const XML_CONTENT_TYPE = 'text/xml';
export const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
const XML_DECLARATION = '<?xml version="1.0"?>';

/**
 * Actions of the account rather than of a queue: sent to a queue's URL, recorded SQS answers
 * InvalidAction "The action CreateQueue is not valid for this endpoint." (LocalStack's
 * AWS-validated test_get_create_queue_fails and test_get_list_queues_fails). GetQueueUrl there is
 * served (test_get_queue_url_works_for_same_queue).
 */
const ACCOUNT_ACTIONS: ReadonlySet<ActionName> = new Set(['CreateQueue', 'ListQueues']);
/** Ends in `/<12-digit account>/<queue name>`: a queue's URL. */
const QUEUE_PATH = /\/\d{12}\/[^/]+$/;

/**
 * @param queueUrlFromPath the URL the request was sent to when that is a queue's URL: it is the
 *   queue the action addresses unless a `QueueUrl` parameter says otherwise.
 */
export function decodeQueryRequest(params: URLSearchParams, queueUrlFromPath: string | undefined): SqsRequest {
  const named = params.get('Action');
  // No parameters at all (a bare GET of a queue URL or `/`, a browser, a health probe) is what
  // recorded SQS answers 404 `<UnknownOperationException/>`; parameters without an Action are
  // MissingAction (API reference, Common Errors); an unknown Action is InvalidAction.
  if (named === null && params.size === 0) throw unrecognizedRequest();
  const action = named === null ? undefined : sqsActionNamed(named);
  if (action === undefined) throw unknownAction(named ?? '');
  if (queueUrlFromPath !== undefined && ACCOUNT_ACTIONS.has(action) && QUEUE_PATH.test(queueUrlFromPath)) {
    throw unknownAction(action);
  }
  const shape = ACTION_SHAPES[action].input;
  const tree = buildParamTree(params);
  if (queueUrlFromPath !== undefined && 'QueueUrl' in shape.members && !params.has('QueueUrl')) {
    (tree.children ??= new Map()).set('QueueUrl', { value: queueUrlFromPath });
  }
  const input = readQueryStructure(shape, tree, '');
  // The shape reader built every member from this action's input shape.
  const request = { action, input } as SqsRequest;
  preferLegacyAttributeNames(request);
  return request;
}

/**
 * A Query ReceiveMessage naming system attributes both ways is answered by `AttributeName.N`
 * alone: recorded SQS returned only SenderId for AttributeNames [SenderId] with
 * MessageSystemAttributeNames [All] over Query, and every attribute over JSON (LocalStack's
 * AWS-validated test_message_system_attribute_names_with_attribute_names). The engine takes both
 * lists together, which is the JSON answer.
 */
function preferLegacyAttributeNames(request: SqsRequest): void {
  if (request.action !== 'ReceiveMessage') return;
  const { input } = request;
  if ((input.AttributeNames?.length ?? 0) > 0 && input.MessageSystemAttributeNames !== undefined) delete input.MessageSystemAttributeNames;
}

export function encodeQueryOutput(action: ActionName, output: object, requestId: string): string {
  const shape = ACTION_SHAPES[action].output;
  let xml = `${XML_DECLARATION}<${action}Response xmlns="${SQS_XML_NAMESPACE}">`;
  // Actions without output members answer with the metadata alone, as SQS does.
  if (!ACTIONS_WITHOUT_OUTPUT.has(action)) {
    xml += `<${action}Result>${writeStructureMembers(shape, output as Record<string, unknown>)}</${action}Result>`;
  }
  return `${xml}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function encodeQueryError(error: SqsError, requestId: string): string {
  if (error.code === 'UnrecognizedRequest') return `<${error.queryCode}/>`;
  return (
    `${XML_DECLARATION}<ErrorResponse xmlns="${SQS_XML_NAMESPACE}"><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(error.queryCode)}</Code><Message>${escapeXml(error.queryMessage)}</Message><Detail/></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
