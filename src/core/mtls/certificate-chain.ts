import type { X509Certificate } from "node:crypto";
import { parsePemCertificate, validityProblem } from "./client-certificate.js";

/** Whether `issuer` issued and signed `subject` (names and key identifiers, key usage, signature). */
function signedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

function sameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  return a.raw.equals(b.raw);
}

/** The longest chain walked: `clientCertificatePath` holds at most 10 certificates. */
const MAX_DEPTH = 10;

/**
 * PKI validation of a client certificate for TLS_CLIENT_AUTH when the service sets
 * `mutualTlsValidatePkiCertChain` (RFC 8705 §2.1: the chain is validated against the service's trust
 * anchors, `trustedRootCertificates`, as in Authlete). From the client's certificate, each link must
 * be issued and signed by the next certificate of `clientCertificatePath` (the TLS client's chain,
 * RFC 8446 §4.4.2 order), until one is issued and signed by a trusted root (or is one). Every
 * certificate of the chain is checked valid at `now`, and every issuer must be a CA (basic
 * constraints cA, and keyCertSign when it has a key usage: OpenSSL's `X509_check_issued` behind
 * `checkIssued`). Returns why the chain fails, for the log, or null when it leads to a trusted root.
 */
export function chainProblem(leaf: X509Certificate, path: readonly X509Certificate[], roots: readonly X509Certificate[], now: number): string | null {
  if (roots.length === 0) return "the service trusts no root certificate (trustedRootCertificates is empty)";
  const expired = validityProblem(leaf, now, "client");
  if (expired) return expired;
  let current = leaf;
  for (let depth = 0; depth <= Math.min(path.length, MAX_DEPTH); depth++) {
    if (roots.some((root) => sameCertificate(root, current))) return validityProblem(current, now, "trusted root");
    const anchor = roots.find((root) => signedBy(current, root));
    if (anchor) return validityProblem(anchor, now, "trusted root");
    const next = path[depth];
    if (!next) break;
    if (!signedBy(current, next)) return `clientCertificatePath[${depth}] did not issue the certificate before it`;
    if (!next.ca) return `clientCertificatePath[${depth}] is not a CA certificate`;
    const stale = validityProblem(next, now, `clientCertificatePath[${depth}]`);
    if (stale) return stale;
    current = next;
  }
  return "the chain does not lead to a trusted root certificate";
}

const parsedRoots = new WeakMap<readonly string[], X509Certificate[]>();

/**
 * The service's `trustedRootCertificates`, read once per service object (services are cached as
 * frozen objects, so a changed setting is a new array). Registration checked each PEM; one that no
 * longer reads is left out rather than failing the request.
 */
export function trustedRoots(pems: readonly string[] | null | undefined): X509Certificate[] {
  if (!pems || pems.length === 0) return [];
  const known = parsedRoots.get(pems);
  if (known) return known;
  const roots: X509Certificate[] = [];
  for (const pem of pems) {
    const parsed = parsePemCertificate(pem);
    if ("certificate" in parsed) roots.push(parsed.certificate);
  }
  parsedRoots.set(pems, roots);
  return roots;
}

/**
 * Why a `trustedRootCertificates` entry cannot be a trust anchor, or null: it must be one PEM
 * certificate node:crypto reads, and a CA certificate (a leaf trusted as a root would let any
 * holder of its key issue client certificates under no constraint of the PKI).
 */
export function trustedRootProblem(pem: string): string | null {
  const parsed = parsePemCertificate(pem);
  if ("problem" in parsed) return parsed.problem;
  if (!parsed.certificate.ca) return "it is not a CA certificate (basic constraints cA)";
  return null;
}
