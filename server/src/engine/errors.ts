/**
 * Every error replimq can answer with, in one table.
 *
 * The engine, the protocol layer and the cluster layer throw `SqsError` with one of these codes;
 * each protocol renders it once (sqs/json-protocol.ts, sqs/query-protocol.ts) from this table, so
 * a code always has the same HTTP status and legacy Query code whichever path raised it.
 *
 * `code` is the modern name (the shape name in the AWS JSON 1.0 model, e.g. `QueueDoesNotExist`);
 * `queryCode` is what the Query protocol puts in `<Code>` and what JSON answers carry in the
 * `x-amzn-query-error: <queryCode>;<Sender|Receiver>` header. `queryMessage`, where present, is
 * the text the Query protocol answers instead of the error's own: real SQS words a few errors
 * differently in XML (recorded: a missing queue is "The specified queue does not exist." in JSON,
 * "… does not exist for this wsdl version." in XML).
 */
export const SQS_ERRORS = {
  // Queues
  QueueDoesNotExist: {
    status: 400,
    queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    sender: true,
    modeled: true,
    queryMessage: 'The specified queue does not exist for this wsdl version.',
  },
  QueueNameExists: { status: 400, queryCode: 'QueueAlreadyExists', sender: true, modeled: true },
  QueueDeletedRecently: { status: 400, queryCode: 'AWS.SimpleQueueService.QueueDeletedRecently', sender: true, modeled: true },
  PurgeQueueInProgress: { status: 403, queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress', sender: true, modeled: true },
  // Attributes and parameters
  InvalidAttributeName: { status: 400, queryCode: 'InvalidAttributeName', sender: true, modeled: true },
  InvalidAttributeValue: { status: 400, queryCode: 'InvalidAttributeValue', sender: true, modeled: true },
  InvalidParameterValue: { status: 400, queryCode: 'InvalidParameterValue', sender: true, modeled: false },
  MissingParameter: { status: 400, queryCode: 'MissingParameter', sender: true, modeled: false },
  InvalidParameterCombination: { status: 400, queryCode: 'InvalidParameterCombination', sender: true, modeled: false },
  InvalidQueryParameter: { status: 400, queryCode: 'InvalidQueryParameter', sender: true, modeled: false },
  MalformedQueryString: { status: 404, queryCode: 'MalformedQueryString', sender: true, modeled: false },
  ValidationError: { status: 400, queryCode: 'ValidationError', sender: true, modeled: false },
  InvalidAddress: { status: 404, queryCode: 'InvalidAddress', sender: true, modeled: true },
  InvalidSecurity: { status: 403, queryCode: 'InvalidSecurity', sender: true, modeled: true },
  // Messages
  InvalidMessageContents: { status: 400, queryCode: 'InvalidMessageContents', sender: true, modeled: true },
  MessageNotInflight: { status: 400, queryCode: 'AWS.SimpleQueueService.MessageNotInflight', sender: true, modeled: true },
  ReceiptHandleIsInvalid: { status: 404, queryCode: 'ReceiptHandleIsInvalid', sender: true, modeled: true },
  InvalidIdFormat: { status: 400, queryCode: 'InvalidIdFormat', sender: true, modeled: true },
  // Batches
  EmptyBatchRequest: { status: 400, queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest', sender: true, modeled: true },
  TooManyEntriesInBatchRequest: { status: 400, queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', sender: true, modeled: true },
  BatchEntryIdsNotDistinct: { status: 400, queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', sender: true, modeled: true },
  BatchRequestTooLong: { status: 400, queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong', sender: true, modeled: true },
  InvalidBatchEntryId: { status: 400, queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId', sender: true, modeled: true },
  // Limits, permissions, features
  OverLimit: { status: 403, queryCode: 'OverLimit', sender: true, modeled: true },
  UnsupportedOperation: { status: 400, queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', sender: true, modeled: true },
  ResourceNotFoundException: { status: 404, queryCode: 'ResourceNotFoundException', sender: true, modeled: true },
  AccessDenied: { status: 403, queryCode: 'AccessDenied', sender: true, modeled: false },
  // Requests
  InvalidAction: { status: 400, queryCode: 'InvalidAction', sender: true, modeled: false },
  // A Query request with no Action among other parameters (SQS API reference, Common Errors).
  MissingAction: { status: 400, queryCode: 'MissingAction', sender: true, modeled: false },
  // A Query request with no parameters at all (a bare GET of a queue URL): recorded SQS answers
  // 404 with the body `<UnknownOperationException/>` (query-protocol.ts renders it so).
  UnrecognizedRequest: { status: 404, queryCode: 'UnknownOperationException', sender: true, modeled: false },
  UnknownOperationException: { status: 400, queryCode: 'InvalidAction', sender: true, modeled: false },
  // Real SQS pairs this JSON type with the Query code MalformedInput (recorded on the wire).
  SerializationException: { status: 400, queryCode: 'MalformedInput', sender: true, modeled: false },
  RequestThrottled: { status: 403, queryCode: 'RequestThrottled', sender: true, modeled: true },
  // Authentication (--auth sigv4; SQS API reference, Common Errors; wording as SQS answers)
  MissingAuthenticationToken: { status: 403, queryCode: 'MissingAuthenticationToken', sender: true, modeled: false },
  InvalidClientTokenId: { status: 403, queryCode: 'InvalidClientTokenId', sender: true, modeled: false },
  SignatureDoesNotMatch: { status: 403, queryCode: 'SignatureDoesNotMatch', sender: true, modeled: false },
  IncompleteSignature: { status: 400, queryCode: 'IncompleteSignature', sender: true, modeled: false },
  RequestExpired: { status: 400, queryCode: 'RequestExpired', sender: true, modeled: false },
  // The AWS-wide throttling answer (SQS API reference, Common Errors); only chaos rules raise it.
  ThrottlingException: { status: 400, queryCode: 'ThrottlingException', sender: true, modeled: false },
  // Server side
  ServiceUnavailable: { status: 503, queryCode: 'ServiceUnavailable', sender: false, modeled: false },
  InternalFailure: { status: 500, queryCode: 'InternalFailure', sender: false, modeled: false },
} as const satisfies Record<string, { status: number; queryCode: string; sender: boolean; modeled: boolean; queryMessage?: string }>;

export type SqsErrorCode = keyof typeof SQS_ERRORS;

/** A failure that is the client's answer: thrown anywhere, rendered once per protocol. */
export class SqsError extends Error {
  override readonly name = 'SqsError';
  constructor(
    readonly code: SqsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return SQS_ERRORS[this.code].status;
  }

  get queryCode(): string {
    return SQS_ERRORS[this.code].queryCode;
  }

  /** The message as the Query protocol words it. */
  get queryMessage(): string {
    const entry = SQS_ERRORS[this.code];
    return 'queryMessage' in entry ? entry.queryMessage : this.message;
  }

  /** `Sender` when the caller is at fault (4xx), `Receiver` when replimq is (5xx). */
  get fault(): 'Sender' | 'Receiver' {
    return SQS_ERRORS[this.code].sender ? 'Sender' : 'Receiver';
  }
}

export function isSqsError(value: unknown): value is SqsError {
  return value instanceof SqsError;
}
