/**
 * NextToken for ListQueues and ListDeadLetterSourceQueues: the last queue name of the page, so
 * paging needs no server-side cursor (reads never change state) and survives failover.
 */
import { SqsError } from './errors.js';

export const MAX_PAGE_SIZE = 1000;

export function checkMaxResults(maxResults: number | undefined): void {
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE_SIZE)) {
    throw new SqsError('InvalidParameterValue', `Value ${maxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and ${MAX_PAGE_SIZE}.`);
  }
}

/** One page of sorted names after the token's position; NextToken only when MaxResults was given. */
export function pageOf(sortedNames: readonly string[], maxResults: number | undefined, nextToken: string | undefined): { page: string[]; nextToken?: string } {
  const after = nextToken === undefined ? undefined : decodePageToken(nextToken);
  const remaining = after === undefined ? sortedNames : sortedNames.filter((name) => name > after);
  const page = remaining.slice(0, maxResults ?? MAX_PAGE_SIZE);
  if (maxResults !== undefined && remaining.length > page.length) {
    return { page, nextToken: encodePageToken(page[page.length - 1] as string) };
  }
  return { page };
}

function encodePageToken(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName }), 'utf8').toString('base64');
}

function decodePageToken(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { after?: unknown }).after === 'string') {
      return (parsed as { after: string }).after;
    }
  } catch {
    // reported below
  }
  throw new SqsError('InvalidParameterValue', 'Invalid NextToken value.');
}
