/**
 * What a node's settings say about its cluster plane, checked once at start-up:
 *
 * - `authenticated`: a secret is set; every peer call carries a credential (peer-credential.ts).
 * - `insecure`: several members and `--insecure-cluster`: the old trust in the `from` field, chosen
 *   on purpose (and warned about).
 * - `closed`: a single node without a secret. It has no member to hear from, so its gRPC port
 *   refuses every call; so does a single node with a secret, since no caller is a member.
 *
 * Several members without a secret is a configuration error: one line saying how to set one.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../cli/config-error.js';
import { isSingleNode, type NodeConfig } from '../../config.js';
import { x509Names } from './certificate-names.js';
import { ClusterKeys, MAX_SECRETS } from './peer-credential.js';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

export interface ClusterSecurity {
  mode: 'authenticated' | 'insecure' | 'closed';
  keys: ClusterKeys | undefined;
  tls: TlsMaterial | undefined;
}

/** Shorter secrets are refused: a MAC over known text lets anyone who sees it guess offline. */
export const MIN_SECRET_LENGTH = 16;

export const MISSING_SECRET =
  'a cluster of several nodes needs a shared secret: set REPLIMQ_CLUSTER_SECRET (or --cluster-secret, --cluster-secret-file) ' +
  'to the same random value on every node, e.g. `openssl rand -hex 32`; --insecure-cluster runs without one on purpose';

export function resolveClusterSecurity(config: NodeConfig, read: (path: string) => Buffer = readFileSync): ClusterSecurity {
  const { security } = config.cluster;
  const secrets = clusterSecrets(config, read);
  if (secrets.length > 0 && security.insecure) {
    throw new ConfigError('--insecure-cluster contradicts the cluster secret that is set: drop one of them');
  }
  const tls = tlsMaterial(config, read);
  const keys = secrets.length > 0 ? new ClusterKeys(secrets) : undefined;
  if (keys) return { mode: 'authenticated', keys, tls };
  if (isSingleNode(config.cluster)) return { mode: 'closed', keys, tls };
  if (!security.insecure) throw new ConfigError(MISSING_SECRET);
  return { mode: 'insecure', keys, tls };
}

function clusterSecrets(config: NodeConfig, read: (path: string) => Buffer): string[] {
  const { secrets: inline, secretFile } = config.cluster.security;
  if (inline.length > 0 && secretFile !== undefined) {
    throw new ConfigError('set the cluster secret once: --cluster-secret or --cluster-secret-file, not both');
  }
  let secrets = inline;
  if (secretFile !== undefined) {
    secrets = readText(secretFile, '--cluster-secret-file', read)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    if (secrets.length === 0) throw new ConfigError(`--cluster-secret-file ${secretFile} holds no secret`);
  }
  if (secrets.length > MAX_SECRETS) throw new ConfigError(`at most ${MAX_SECRETS} cluster secrets (the old and the new one during a rotation)`);
  // Never echo a secret: say which one is wrong by position only.
  secrets.forEach((secret, at) => {
    if (secret.length < MIN_SECRET_LENGTH || /\s|,/.test(secret)) {
      throw new ConfigError(
        `cluster secret #${at + 1} must be at least ${MIN_SECRET_LENGTH} characters without spaces or commas (e.g. \`openssl rand -hex 32\`)`,
      );
    }
  });
  return secrets;
}

function tlsMaterial(config: NodeConfig, read: (path: string) => Buffer): TlsMaterial | undefined {
  const { tlsCert, tlsKey, tlsCa } = config.cluster.security;
  const given = [tlsCert, tlsKey, tlsCa].filter((path) => path !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3 || !tlsCert || !tlsKey || !tlsCa) throw new ConfigError('mutual TLS needs all three of --tls-cert, --tls-key and --tls-ca');
  const material = { cert: readFile(tlsCert, '--tls-cert', read), key: readFile(tlsKey, '--tls-key', read), ca: readFile(tlsCa, '--tls-ca', read) };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(material.cert);
    new X509Certificate(material.ca);
    if (!certificate.checkPrivateKey(createPrivateKey(material.key))) throw new Error('the key does not belong to the certificate');
  } catch (error) {
    throw new ConfigError(`unusable TLS files (--tls-cert ${tlsCert}, --tls-key ${tlsKey}, --tls-ca ${tlsCa}): ${(error as Error).message}`);
  }
  const nodeId = config.cluster.nodeId;
  if (!x509Names(certificate, nodeId)) {
    throw new ConfigError(`--tls-cert ${tlsCert} must name this node's id "${nodeId}" (as its CN or a DNS subject alternative name)`);
  }
  return material;
}

function readText(path: string, flag: string, read: (path: string) => Buffer): string {
  return readFile(path, flag, read).toString('utf8');
}

function readFile(path: string, flag: string, read: (path: string) => Buffer): Buffer {
  try {
    return read(path);
  } catch (error) {
    throw new ConfigError(`cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
