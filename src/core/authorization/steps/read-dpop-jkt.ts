import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/** A base64url SHA-256 JWK thumbprint (RFC 7638 §3, RFC 9449 §6.1): 32 bytes, 43 characters without padding. */
const thumbprint = /^[A-Za-z0-9_-]{43}$/;

/**
 * RFC 9449 §10: `dpop_jkt` names the DPoP key the authorization code will be bound to, so only a
 * token request with a proof of that key can redeem it. Its value is that key's JWK SHA-256
 * thumbprint → invalid_request when it is anything else. Kept through the ticket (or the pushed
 * request) into the code.
 */
export const readDpopJkt: SharedStep = (draft) => {
  const value = draft.params.get("dpop_jkt");
  if (value !== undefined && !thumbprint.test(value)) throw authorizationError("invalid_request", "authorizationDpopJktInvalid");
  draft.dpopJkt = value ?? null;
};
