import { type JWK, compactVerify, decodeProtectedHeader, importJWK } from "jose";
import { type HmacJwsAlg, isAsymmetricJwsAlg, isHmacJwsAlg } from "../../../domain/enums.js";
import { clientSigningKey } from "../../keys/client-signing-key.js";
import { isPublished } from "../../keys/public-jwks.js";
import { authorizationError } from "../authorization-errors.js";
import type { RequestDraft, SharedStep } from "../request-draft.js";

const invalid = (why: string) => authorizationError("invalid_request", "authorizationIdTokenHintInvalid", why);

/**
 * ID tokens carry `typ: JWT` (or none, RFC 7519 §5.1; "application/" may prefix it, RFC 7515 §4.1.9).
 * Every other JWT the service's keys sign says what it is: `at+jwt` (RFC 9068), `token-introspection+jwt` (RFC 9701), …
 */
function isIdTokenTyp(typ: unknown): boolean {
  if (typ === undefined) return true;
  if (typeof typ !== "string") return false;
  const type = typ.toLowerCase();
  return type === "jwt" || type === "application/jwt";
}

/** The payload of a hint signed by one of the service's keys. */
async function verifiedWithServiceKey(draft: RequestDraft, hint: string, kid: unknown, alg: string): Promise<Uint8Array> {
  const keys = await draft.deps.store.listSigningKeys(draft.service.serviceId);
  const key = keys.find((candidate) => candidate.kid === kid && candidate.alg === alg);
  if (!key) throw invalid("unknown key");
  // Verifiable only with a key the service still publishes: a compromised key proves nothing, and a
  // retired one has outlived everything it signed.
  if (key.revokedAt !== null) throw invalid("signed by a revoked key");
  if (!isPublished(key, draft.deps.now())) throw invalid("signed by a retired key");
  try {
    return (await compactVerify(hint, await importJWK(key.publicJwk as JWK, key.alg), { algorithms: [key.alg] })).payload;
  } catch {
    throw invalid("bad signature");
  }
}

/** The payload of an HS* hint: only from a client whose ID tokens use that algorithm, keyed by its own secret. */
async function verifiedWithClientSecret(draft: RequestDraft, hint: string, alg: HmacJwsAlg): Promise<Uint8Array> {
  if (draft.client.idTokenSignAlg !== alg) throw invalid("unacceptable alg");
  const { key } = await clientSigningKey(draft.deps, draft.client, alg);
  try {
    return (await compactVerify(hint, key, { algorithms: [alg] })).payload;
  } catch {
    throw invalid("bad signature");
  }
}

async function verifiedHintClaims(draft: RequestDraft, hint: string): Promise<Record<string, unknown>> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(hint);
  } catch {
    throw invalid("not a JWS");
  }
  const { alg } = header;
  // Only the algorithms ID tokens are signed with: never `none` (catalogue SEC-010).
  if (!isAsymmetricJwsAlg(alg) && !isHmacJwsAlg(alg)) throw invalid("unacceptable alg");
  if (!isIdTokenTyp(header.typ)) throw invalid("not an ID token (typ)");
  const payload = isHmacJwsAlg(alg) ? await verifiedWithClientSecret(draft, hint, alg) : await verifiedWithServiceKey(draft, hint, header.kid, alg);
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
 * OIDC Core §3.1.2.1 `id_token_hint`: an ID token this service issued earlier to the requesting client.
 * - the signature must verify against one of the service's own keys that is still published: not
 *   retired, not revoked (a compromise); or, for a client whose ID tokens are HS*, against its own
 *   secret with that algorithm (OIDC Core §10.1; any other client's secret proves nothing here);
 * - it must be an ID token: `typ` absent or `JWT` (a JWT access token is `at+jwt`, and names the client
 *   as audience too), with the `exp` and `iat` every ID token has (OIDC Core §2; a signed UserInfo
 *   response has neither `typ` nor `exp`);
 * - `iss` must be the issuer and `aud` must include the requesting client;
 * - an expired hint is accepted: the OP SHOULD accept it for its `sub` (§3.1.2.1), and a key keeps
 *   being published only as long as what it signed is valid, so the retirement above bounds its age.
 * Anything else → invalid_request, and the `sub` of an unverified hint is never used (catalogue SEC-010).
 * For a client with public subjects the hint's `sub` is reported as `subject`, which /issue then
 * enforces; for pairwise subjects the `sub` is not the login server's user id, so the login server compares it itself.
 */
export const checkIdTokenHint: SharedStep = async (draft) => {
  const hint = draft.params.get("id_token_hint");
  if (hint === undefined) return;
  const claims = await verifiedHintClaims(draft, hint);
  if (typeof claims.exp !== "number" || typeof claims.iat !== "number") throw invalid("not an ID token (no exp or iat)");
  if (claims.iss !== draft.service.issuer) throw invalid("foreign issuer");
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const clientIds = [draft.client.clientIdAlias, String(draft.client.clientId)];
  if (!audiences.some((audience) => typeof audience === "string" && clientIds.includes(audience))) throw invalid("issued to another client");
  if (typeof claims.sub !== "string" || claims.sub === "") throw invalid("no sub");
  if (draft.client.subjectType === "PUBLIC") draft.subject = claims.sub;
};
