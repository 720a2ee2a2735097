import { z } from "zod";
import { honoured, isOffValue, pending, stored } from "../../domain/field-support.js";
import { missingFeature } from "../../domain/missing-features.js";

/**
 * The security inputs of Authlete's runtime requests: the client certificate of a mutual-TLS
 * connection (RFC 8705), which Tessera checks, and those whose feature Tessera does not have: a
 * client attestation, an HTTP message signature. Each of the latter is
 * refused by name when it carries something (a proof Tessera cannot check must never pass for a
 * bearer request). What only qualifies such an input (the message-signature components) does
 * nothing without it, at Authlete too, and is accepted: Authlete's own login servers send every
 * request header on each call. The DPoP inputs, which Tessera checks, are `dpopInputs`.
 */

const { ATTESTATION, SIGNATURES: MESSAGE_SIGNATURES } = missingFeature;

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
  clientCertificate: honoured(
    Pem.nullish(),
    "The client certificate (PEM) of the client's mutual-TLS connection (RFC 8705): it authenticates TLS_CLIENT_AUTH and SELF_SIGNED_TLS_CLIENT_AUTH clients, binds the tokens issued when certificate-bound tokens are on, or must be the certificate the presented token is bound to.",
  ),
  clientCertificatePath: honoured(
    z.array(Pem).max(10).nullish(),
    "The certificates (PEM) the client sent after its own, towards a root: the chain validated when the service sets `mutualTlsValidatePkiCertChain`.",
  ),
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

/**
 * How the client authenticated at a client-authenticated endpoint, as the login server relays it:
 * the credentials of an HTTP Basic header and what came with the TLS connection. Credentials in the
 * form body travel inside `parameters`.
 */
export const clientCredentialInputs = {
  clientId: honoured(z.string().max(1000).optional(), "Client id from an HTTP Basic `Authorization` header of the request, form-decoded (RFC 6749 section 2.3.1)."),
  clientSecret: honoured(z.string().max(1000).optional(), "Client secret from that Basic header, form-decoded; Tessera uses it exactly as given."),
  clientCertificate: securityInputs.clientCertificate,
  clientCertificatePath: securityInputs.clientCertificatePath,
  oauthClientAttestation: securityInputs.oauthClientAttestation,
  oauthClientAttestationPop: securityInputs.oauthClientAttestationPop,
};

/** Where an endpoint's `htm` and `htu` default to when the login server leaves them out (`src/core/sender/dpop-target.ts`). */
export interface DpopDefaults {
  htm: string;
  htu: string;
}

/**
 * The DPoP inputs (RFC 9449) of a runtime request that takes them, with its endpoint's defaults:
 * the `DPoP` header the client sent, the method and URL of its request, and a per-call demand for
 * server nonces. The login server forwards `dpop` at a resource endpoint only when the
 * `Authorization` scheme was `DPoP`, so a bound token sent as Bearer fails.
 */
export function dpopInputs(defaults: DpopDefaults) {
  return {
    dpop: honoured(
      Jwt.nullish(),
      "The `DPoP` header of the client's request, a DPoP proof JWT (RFC 9449 section 4), verified for the request's method and URL; its key binds the tokens issued, or must be the key the presented token is bound to.",
    ),
    htm: honoured(z.string().max(16).nullish(), `The HTTP method of the client's request, which the proof's \`htm\` must be; ${defaults.htm}.`),
    htu: honoured(z.string().max(2000).nullish(), `The URL of the client's request, which the proof's \`htu\` must be (query and fragment ignored); ${defaults.htu}.`),
    dpopNonceRequired: honoured(
      z.boolean().nullish(),
      "Demands a server nonce in the DPoP proof on this call even when the service's `dpopNonceRequired` is false; the response then carries `dpopNonce`.",
    ),
  };
}
