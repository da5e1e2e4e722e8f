/**
 * Whether a certificate names a node id: as its subject CN or as a DNS subject alternative name.
 * Both ends of a TLS connection check that the other's certificate names the member it claims
 * (or is dialled as) to be; the CA alone only says "one of ours".
 */
import type { PeerCertificate } from 'node:tls';
import type { X509Certificate } from 'node:crypto';

export function certificateNames(certificate: PeerCertificate, nodeId: string): boolean {
  const cn = certificate.subject?.CN as string | string[] | undefined;
  if (cn === nodeId || (Array.isArray(cn) && cn.includes(nodeId))) return true;
  return dnsNames(certificate.subjectaltname).includes(nodeId);
}

/** The same check on a parsed certificate (a node's own, at start-up). */
export function x509Names(certificate: X509Certificate, nodeId: string): boolean {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1];
  return cn === nodeId || dnsNames(certificate.subjectAltName).includes(nodeId);
}

function dnsNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(', ')
    .filter((name) => name.startsWith('DNS:'))
    .map((name) => name.slice(4));
}
