/**
 * Does a queue's policy (its `Policy` attribute, which AddPermission writes) let another account
 * call an action on it? The part of IAM evaluation SQS needs for cross-account access: statements
 * whose principal names the caller's account (`*`, the account id, `arn:aws:iam::<id>:root` or any
 * principal ARN of that account), whose action matches (`*`, `sqs:*`, `SQS:SendMessage`, globs)
 * and whose resource is the queue (or absent); an explicit Deny wins over any Allow.
 *
 * Statements with a `Condition` are skipped: their keys (source ARN, IP, time…) describe facts a
 * test node does not have, so they grant nothing here (and deny nothing).
 */

/** Actions an owner may share with other accounts (AddPermission's list); others stay the owner's. */
const SHAREABLE = new Set([
  'ChangeMessageVisibility', 'DeleteMessage', 'GetQueueAttributes', 'GetQueueUrl',
  'ListDeadLetterSourceQueues', 'PurgeQueue', 'ReceiveMessage', 'SendMessage',
]);
/** A batch action is granted with its single counterpart. */
const SINGLE_OF_BATCH: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

export function policyGrants(policyText: string | undefined, accountId: string, action: string, queueArn: string): boolean {
  const granted = SINGLE_OF_BATCH[action] ?? action;
  if (policyText === undefined || !SHAREABLE.has(granted)) return false;
  let allowed = false;
  for (const statement of statementsOf(policyText)) {
    if (statement.Condition !== undefined) continue;
    if (!namesAccount(statement.Principal, accountId)) continue;
    if (!someMatch(statement.Action, `sqs:${granted}`, true)) continue;
    if (statement.Resource !== undefined && !someMatch(statement.Resource, queueArn, false)) continue;
    if (statement.Effect === 'Deny') return false;
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

function statementsOf(policyText: string): Statement[] {
  try {
    const document = JSON.parse(policyText) as { Statement?: unknown };
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    return statements.filter((statement): statement is Statement => typeof statement === 'object' && statement !== null);
  } catch {
    return [];
  }
}

function namesAccount(principal: unknown, accountId: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return listOf((principal as { AWS?: unknown }).AWS).some((name) =>
    name === '*' || name === accountId || name.startsWith(`arn:aws:iam::${accountId}:`));
}

/** Whether a policy value (one pattern or a list) matches; `*` and `?` are wildcards. Action
 *  names are case-insensitive in IAM, ARNs are not. */
function someMatch(patterns: unknown, value: string, ignoreCase: boolean): boolean {
  const subject = ignoreCase ? value.toLowerCase() : value;
  return listOf(patterns).some((pattern) => globMatches(ignoreCase ? pattern.toLowerCase() : pattern, subject));
}

/** Wildcard matching by two cursors, falling back to the last `*`: at most pattern × value steps
 *  whatever the pattern (a regex of many `.*` can take exponential time on a crafted policy). */
function globMatches(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = v;
    } else if (c !== undefined && (c === '?' || c === value[v])) {
      p++;
      v++;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
