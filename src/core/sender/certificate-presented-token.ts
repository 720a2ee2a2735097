import { safeEqual } from "../../crypto/secrets.js";
import { presentedCertificate } from "../mtls/client-certificate.js";
import type { ResultCodeName } from "../result-codes.js";
import type { ResourceEndpoint } from "./dpop-presented-token.js";
import type { SenderProofs } from "./sender-proofs.js";

/** A presented access token refused because it is bound to a certificate the request did not come with (RFC 8705 §3). */
export interface CertificatePresentationRefusal {
  /** RFC 8705 §3: the protected resource answers as RFC 6750 §3.1 says for an invalid token. */
  error: "invalid_token";
  resultCode: ResultCodeName;
  resultArgs: ReadonlyArray<string | number>;
}

const bindingCodes: Record<ResourceEndpoint, { missing: ResultCodeName; mismatch: ResultCodeName }> = {
  introspection: { missing: "introspectionCertificateMissing", mismatch: "introspectionCertificateMismatch" },
  userInfo: { missing: "userinfoCertificateMissing", mismatch: "userinfoCertificateMismatch" },
  grantManagement: { missing: "grantManagementCertificateMissing", mismatch: "grantManagementCertificateMismatch" },
};

/**
 * The certificate part of checking a presented access token (RFC 8705 §3): a token bound to a
 * certificate (`cnf.x5t#S256`) is usable only over a mutual-TLS connection with that certificate, so
 * the request must carry `clientCertificate` and its SHA-256 thumbprint must be the bound one
 * (compared in constant time) → `invalid_token` otherwise. A token not bound to a certificate passes
 * whatever certificate came (the resource server may use mutual TLS for other reasons). Null when
 * the token passes; an unreadable certificate is the caller's mistake (`CallerError`, A000212).
 */
export function checkCertificatePresentation(endpoint: ResourceEndpoint, boundThumbprint: string | null, proofs: SenderProofs): CertificatePresentationRefusal | null {
  if (boundThumbprint === null) return null;
  const presented = presentedCertificate(proofs);
  const codes = bindingCodes[endpoint];
  if (!presented) return { error: "invalid_token", resultCode: codes.missing, resultArgs: [] };
  if (!safeEqual(presented.thumbprint, boundThumbprint)) return { error: "invalid_token", resultCode: codes.mismatch, resultArgs: [] };
  return null;
}
