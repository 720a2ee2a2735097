import { createHash, X509Certificate } from "node:crypto";
import { CallerError } from "../caller-error.js";
import type { SenderProofs } from "../sender/sender-proofs.js";

/** A client certificate as core uses it: node's reading and its RFC 8705 §3.1 thumbprint. */
export interface ClientCertificate {
  certificate: X509Certificate;
  /** base64url(SHA-256(DER)): the `x5t#S256` of a token bound to it (RFC 8705 §3.1). */
  thumbprint: string;
}

/** The certificate the client presented on the mutual-TLS connection, with the chain that came with it. */
export interface PresentedCertificate extends ClientCertificate {
  /** `clientCertificatePath`, from the issuer of the client's certificate up towards a root. */
  path: X509Certificate[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;

/** Exactly one PEM `CERTIFICATE` block that node:crypto reads, or what is wrong with the text (safe to show). */
export function parsePemCertificate(pem: string): { certificate: X509Certificate } | { problem: string } {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length !== 1) return { problem: blocks.length === 0 ? "it holds no PEM CERTIFICATE block" : "it holds more than one certificate" };
  try {
    return { certificate: new X509Certificate(blocks[0] as string) };
  } catch {
    return { problem: "its content is not a DER X.509 certificate" };
  }
}

/**
 * Reads a certificate the login server relayed. One that does not read is the login server's mistake
 * (it relays what its TLS terminator saw), answered as a 400 naming the field, never a 500; node's
 * parse error stays out of the message.
 */
export function readPemCertificate(pem: string, field: string): X509Certificate {
  const parsed = parsePemCertificate(pem);
  if ("problem" in parsed) throw new CallerError("clientCertificateUnreadable", field, parsed.problem);
  return parsed.certificate;
}

/** Why a certificate is not valid at `now` (epoch ms), naming it by `role`, or null. */
export function validityProblem(certificate: X509Certificate, now: number, role: string): string | null {
  if (Date.parse(certificate.validFrom) > now) return `the ${role} certificate is not valid before ${certificate.validFrom}`;
  if (Date.parse(certificate.validTo) < now) return `the ${role} certificate expired at ${certificate.validTo}`;
  return null;
}

/** RFC 8705 §3.1: the base64url-encoded SHA-256 hash of the DER encoding of the certificate. */
export function certificateThumbprint(certificate: X509Certificate): string {
  return createHash("sha256").update(certificate.raw).digest("base64url");
}

const read = new WeakMap<SenderProofs, PresentedCertificate | null>();

/**
 * The client certificate of a request (`clientCertificate` and `clientCertificatePath`), read once
 * per request however many checks look at it (client authentication, token binding); null when the
 * request carries none.
 */
export function presentedCertificate(proofs: SenderProofs): PresentedCertificate | null {
  const known = read.get(proofs);
  if (known !== undefined) return known;
  let presented: PresentedCertificate | null = null;
  if (proofs.clientCertificate) {
    const certificate = readPemCertificate(proofs.clientCertificate, "clientCertificate");
    const path = (proofs.clientCertificatePath ?? []).map((pem, index) => readPemCertificate(pem, `clientCertificatePath[${index}]`));
    presented = { certificate, thumbprint: certificateThumbprint(certificate), path };
  }
  read.set(proofs, presented);
  return presented;
}
