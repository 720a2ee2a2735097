import { z } from "zod";
import { isOffValue, pending, stored } from "../../domain/field-support.js";
import { missingFeature } from "../../domain/missing-features.js";

/**
 * The security inputs of Authlete's runtime requests whose feature Tessera does not have yet: a
 * DPoP proof, a TLS client certificate, a client attestation, an HTTP message signature. Each is
 * refused by name when it carries something (a proof Tessera cannot check must never pass for a
 * bearer request). What only qualifies such an input (`htm`, `htu`, the message-signature
 * components) does nothing without it, at Authlete too, and is accepted: Authlete's own login
 * servers send `htm` and every request header on each call.
 */

const { MTLS, DPOP, ATTESTATION, SIGNATURES: MESSAGE_SIGNATURES } = missingFeature;

const onlyQualifiesDpop = "Only checks a `dpop` proof (RFC 9449 §4.3), which is refused; without one it has no effect.";
const onlyQualifiesSignature = "Only an input to checking an HTTP message signature, which is refused; without one it has no effect.";

const Pem = z.string().max(16_384);
const Jwt = z.string().max(16_384);

/** A request header as `{key, value}`; both optional, as in Authlete's `Pair`. */
const HeaderPair = z.object({ key: z.string().max(1000).optional(), value: z.string().max(65_536).optional() });

const signatureHeaderNames = new Set(["signature", "signature-input"]);

/** Headers of an unsigned request: a signed one carries `Signature` and `Signature-Input` (RFC 9421 §4). */
function carriesNoSignature(value: unknown): boolean {
  if (isOffValue(value)) return true;
  return Array.isArray(value) && value.every((pair: { key?: unknown }) => !signatureHeaderNames.has(String(pair?.key ?? "").toLowerCase()));
}

export const securityInputs = {
  clientCertificate: pending(Pem, MTLS),
  clientCertificatePath: pending(z.array(Pem).max(10), MTLS),
  dpop: pending(Jwt, DPOP),
  htm: stored(z.string().max(16), onlyQualifiesDpop),
  htu: stored(z.string().max(2000), onlyQualifiesDpop),
  dpopNonceRequired: stored(z.boolean(), onlyQualifiesDpop),
  oauthClientAttestation: pending(Jwt, ATTESTATION),
  oauthClientAttestationPop: pending(Jwt, ATTESTATION),
  headers: pending(z.array(HeaderPair).max(1000), `${MESSAGE_SIGNATURES}: a Signature or Signature-Input header`, carriesNoSignature),
  requiredComponents: pending(z.array(z.string().max(200)).max(100), MESSAGE_SIGNATURES),
  requestSignature: pending(z.string().max(16_384), MESSAGE_SIGNATURES),
  uri: stored(z.string().max(2000), onlyQualifiesSignature),
  targetUri: stored(z.string().max(8192), onlyQualifiesSignature),
  message: stored(z.string().max(1_000_000), onlyQualifiesSignature),
  requestBodyContained: stored(z.boolean(), onlyQualifiesSignature),
};
