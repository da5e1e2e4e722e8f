/**
 * The keys `--credentials <file>` lists, one per line or as YAML:
 *
 *   # access key id       secret access key                          account id
 *   AKIAIOSFODNN7EXAMPLE  wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY   123456789012
 *
 *   credentials:                      # YAML (.yaml, .yml, .json): a list, bare or under `credentials`
 *     - accessKeyId: AKIAIOSFODNN7EXAMPLE
 *       secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
 *       accountId: "123456789012"
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseYaml } from '../../yaml-text.js';

export interface SigV4Credential {
  accessKeyId: string;
  secretAccessKey: string;
  /** The account the key's requests act in (SenderId, and later queue URLs). */
  accountId: string;
}

/** A credentials file that cannot be used; the message names the file and the line or entry. */
export class CredentialsFileError extends Error {
  override readonly name = 'CredentialsFileError';
}

const ACCESS_KEY_ID = /^[A-Za-z0-9]{1,128}$/;
const SECRET = /^\S{1,256}$/;
const ACCOUNT_ID = /^\d{12}$/;

export function readCredentialsFile(path: string): SigV4Credential[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CredentialsFileError(`cannot read credentials file ${path}: ${reason}`);
  }
  const yaml = ['.yaml', '.yml', '.json'].includes(extname(path).toLowerCase());
  return yaml ? parseCredentialsYaml(text, basename(path)) : parseCredentialLines(text, basename(path));
}

export function parseCredentialLines(text: string, name: string): SigV4Credential[] {
  const credentials: SigV4Credential[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const content = line.replace(/#.*$/, '').trim();
    if (content === '') return;
    const fields = content.split(/[\s,]+/);
    const where = `credentials file ${name}, line ${index + 1}`;
    if (fields.length !== 3) throw new CredentialsFileError(`${where}: expected "<access key id> <secret access key> <account id>"`);
    credentials.push(checked({ accessKeyId: fields[0]!, secretAccessKey: fields[1]!, accountId: fields[2]! }, where));
  });
  return unique(credentials, name);
}

export function parseCredentialsYaml(text: string, name: string): SigV4Credential[] {
  let document: unknown;
  try {
    document = parseYaml(text) as unknown;
  } catch (error) {
    throw new CredentialsFileError(`credentials file ${name} is not valid YAML: ${((error as Error).message.split('\n')[0] ?? '').trim()}`);
  }
  const list = isRecord(document) ? document['credentials'] : document;
  if (!Array.isArray(list)) throw new CredentialsFileError(`credentials file ${name}: expected a list of {accessKeyId, secretAccessKey, accountId}`);
  const credentials = list.map((entry: unknown, index) => {
    const where = `credentials file ${name}, entry ${index + 1}`;
    if (!isRecord(entry)) throw new CredentialsFileError(`${where}: expected {accessKeyId, secretAccessKey, accountId}`);
    const text = (key: string): string => {
      const value = entry[key];
      return typeof value === 'number' ? String(value).padStart(12, '0') : typeof value === 'string' ? value.trim() : '';
    };
    return checked({ accessKeyId: text('accessKeyId'), secretAccessKey: text('secretAccessKey'), accountId: text('accountId') }, where);
  });
  return unique(credentials, name);
}

function checked(credential: SigV4Credential, where: string): SigV4Credential {
  if (!ACCESS_KEY_ID.test(credential.accessKeyId)) throw new CredentialsFileError(`${where}: the access key id must be letters and digits`);
  if (!SECRET.test(credential.secretAccessKey)) throw new CredentialsFileError(`${where}: the secret access key must be one word`);
  if (!ACCOUNT_ID.test(credential.accountId)) throw new CredentialsFileError(`${where}: the account id must be 12 digits`);
  return credential;
}

function unique(credentials: SigV4Credential[], name: string): SigV4Credential[] {
  const seen = new Set<string>();
  for (const { accessKeyId } of credentials) {
    if (seen.has(accessKeyId)) throw new CredentialsFileError(`credentials file ${name}: access key id ${accessKeyId} is listed twice`);
    seen.add(accessKeyId);
  }
  if (credentials.length === 0) throw new CredentialsFileError(`credentials file ${name} lists no keys`);
  return credentials;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
