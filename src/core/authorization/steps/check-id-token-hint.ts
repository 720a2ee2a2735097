import { type JWK, compactVerify, decodeProtectedHeader, importJWK } from "jose";
import { AsymmetricJwsAlg } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { AuthorizationDraft, AuthorizationStep } from "../authorization-draft.js";

/** Only the algorithms the service signs ID tokens with: never `none`, never HMAC (catalogue SEC-010). */
const acceptedAlgorithms: readonly string[] = AsymmetricJwsAlg.options;

async function verifiedHintClaims(draft: AuthorizationDraft, hint: string): Promise<Record<string, unknown>> {
  const invalid = (why: string) => authorizationError("invalid_request", "authorizationIdTokenHintInvalid", why);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(hint);
  } catch {
    throw invalid("not a JWS");
  }
  if (typeof header.alg !== "string" || !acceptedAlgorithms.includes(header.alg)) throw invalid("unacceptable alg");
  const keys = await draft.deps.store.listSigningKeys(draft.service.apiKey);
  const key = keys.find((candidate) => candidate.kid === header.kid && candidate.alg === header.alg);
  if (!key) throw invalid("unknown key");
  let payload: Uint8Array;
  try {
    const verified = await compactVerify(hint, await importJWK(key.publicJwk as JWK, key.alg), { algorithms: [key.alg] });
    payload = verified.payload;
  } catch {
    throw invalid("bad signature");
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw invalid("payload is not JSON");
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) throw invalid("payload is not a JSON object");
  return claims as Record<string, unknown>;
}

/**
 * OIDC Core §3.1.2.1 `id_token_hint`: an ID token this service issued earlier. The signature must
 * verify against the service's own keys (an expired token is fine: the spec expects old ones),
 * `iss` must be the issuer and `aud` must include the client; anything else → invalid_request, and
 * the `sub` of an unverified hint is never used (catalogue SEC-010). For a client with public
 * subjects the hint's `sub` is reported as `subject`, which /issue then enforces; for pairwise
 * subjects the `sub` is not the login server's user id, so the login server compares it itself.
 */
export const checkIdTokenHint: AuthorizationStep = async (draft) => {
  const hint = draft.params.get("id_token_hint");
  if (hint === undefined) return;
  const claims = await verifiedHintClaims(draft, hint);
  const invalid = (why: string) => authorizationError("invalid_request", "authorizationIdTokenHintInvalid", why);
  if (claims.iss !== draft.service.issuer) throw invalid("foreign issuer");
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const clientIds = [draft.client.clientIdAlias, String(draft.client.clientId)];
  if (!audiences.some((audience) => typeof audience === "string" && clientIds.includes(audience))) throw invalid("issued to another client");
  if (typeof claims.sub !== "string" || claims.sub === "") throw invalid("no sub");
  if (draft.client.subjectType === "PUBLIC") draft.subject = claims.sub;
};
