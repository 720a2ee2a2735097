import { credentialHash, newCredential } from "../../crypto/secrets.js";
import type { Client } from "../../domain/client.js";
import { isAsymmetricJwsAlg } from "../../domain/enums.js";
import type { TokenDetails } from "../../domain/protocol.js";
import type { AccessTokenRecord, GrantRecord, RefreshTokenRecord } from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import type { TokenWrite } from "../../storage/ports.js";
import type { CoreDeps } from "../context.js";
import { signJwt } from "../keys/sign-jwt.js";
import { getSigningKey } from "../keys/signer.js";
import { mergeClaims, parseJsonObject } from "./jwt-claims.js";
import { chosenValueConflict } from "./chosen-refresh-token.js";
import { confirmationClaim, type TokenBinding, unbound } from "./confirmation.js";
import { accessTokenLifetime, refreshTokenLifetime } from "./lifetimes.js";
import { persistentExpiresAt } from "./persistent-access-token.js";

export interface MintTokensInput {
  service: Service;
  client: Client;
  /** The grant the tokens belong to. */
  grantId: string;
  /** The grant's record when it is written together with the tokens (the first tokens minted under it); null when it exists. */
  newGrant: GrantRecord | null;
  subject: string | null;
  scopes: string[];
  details: TokenDetails;
  withRefreshToken: boolean;
  /** Per-request lifetimes (seconds); used when > 0. */
  accessTokenDuration?: number | null;
  refreshTokenDuration?: number | null;
  /** JSON object of extra claims for a JWT access token (never overrides the RFC 9068 claims). */
  jwtAtClaims?: string | null;
  /** Value chosen by the login server for an opaque access token (Authlete's `accessToken`); ignored for JWT access tokens. */
  accessTokenValue?: string | null;
  /** Value chosen for the new refresh token (`/auth/token/create`'s `refreshToken`); used only when one is minted. */
  refreshTokenValue?: string | null;
  /**
   * An access token that never expires by time (`accessTokenPersistent`): its expiry is
   * `persistentExpiresAt` whatever the durations and `tokenExpirationLinked` say. Opaque tokens only:
   * the caller refuses it where the token would be a JWT.
   */
  accessTokenPersistent?: boolean;
  /** Absolute refresh-token expiry (epoch ms) to keep instead of a fresh lifetime (`refreshTokenDurationKept`). */
  refreshTokenExpiresAt?: number | null;
  /** Scopes of the refresh token when they differ from the access token's (a narrowed refresh keeps the grant's scopes). */
  refreshTokenScopes?: string[] | null;
  /**
   * A refresh token that stays valid (`refreshTokenKept`): the new access token is paired with it,
   * no new refresh token is created, and `withRefreshToken` is ignored. `expiresAt` is its expiry
   * after this refresh (epoch ms: its own, or a reset one, `refreshTokenDurationReset`).
   */
  keptRefreshToken?: { value: string; record: RefreshTokenRecord; expiresAt: number } | null;
  /**
   * What a new refresh token is bound to, which may differ from the access token's binding in `details`
   * (RFC 9449 §5: only a public client's refresh tokens are bound to its DPoP key); absent: unbound.
   */
  refreshTokenBinding?: TokenBinding | null;
}

export interface MintedTokens {
  accessToken: string;
  /** Epoch milliseconds. */
  accessTokenExpiresAt: number;
  /** Seconds. */
  accessTokenDuration: number;
  /** The RFC 9068 JWT when the service signs access tokens (then equal to `accessToken`). */
  jwtAccessToken: string | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: number | null;
  refreshTokenDuration: number | null;
  /** Scopes recorded on the refresh token (null when no refresh token was minted). */
  refreshTokenScopes: string[] | null;
}

/** Claims a `jwtAtClaims` value may not replace (RFC 9068 §2.2). */
const registeredAtClaims = new Set(["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "auth_time", "acr", "cnf", "authorization_details"]);

/**
 * RFC 9068 JWT access token: header `typ: at+jwt`; claims iss, exp, aud (the access token's
 * resources, RFC 8707 §2.2, else the client), sub (the client id when no user is involved, §2.2), client_id, iat, jti, scope,
 * auth_time / acr when an authentication took place, authorization_details when it has any (RFC 9396 §9.1),
 * and cnf when the token is bound to a DPoP key or a client certificate (RFC 9449 §6.1, RFC 8705 §3.1).
 */
async function signAccessToken(deps: CoreDeps, input: MintTokensInput, issuedAt: number, expiresAt: number): Promise<string> {
  const { service, client, details } = input;
  const alg = service.accessTokenSignAlg;
  // Service validation admits only asymmetric algorithms here: a resource server shares no secret with the service.
  if (!isAsymmetricJwsAlg(alg)) throw new Error(`signAccessToken called with accessTokenSignAlg ${alg}`);
  const signingKey = await getSigningKey(deps, service.serviceId, alg);
  // jti first and time-led: the stored row's key then starts with the issuing time (see credentialHash).
  const audience = details.accessTokenResources;
  const claims: Record<string, unknown> = {
    jti: newCredential(issuedAt),
    iss: service.issuer,
    sub: input.subject ?? client.clientIdAlias,
    aud: audience.length === 1 ? audience[0] : audience.length > 1 ? audience : client.clientIdAlias,
    exp: Math.floor(expiresAt / 1000),
    iat: Math.floor(issuedAt / 1000),
    client_id: client.clientIdAlias,
  };
  if (input.scopes.length > 0) claims.scope = input.scopes.join(" ");
  if (details.authTime !== null) claims.auth_time = details.authTime;
  if (details.acr) claims.acr = details.acr;
  if (details.accessTokenAuthorizationDetails.length > 0) claims.authorization_details = details.accessTokenAuthorizationDetails;
  const cnf = confirmationClaim(details);
  if (cnf) claims.cnf = cnf;
  mergeClaims(claims, parseJsonObject(input.jwtAtClaims), registeredAtClaims);
  return signJwt(signingKey, "at+jwt", claims);
}

/** Builds the token records (hashes only) and the values to hand out; writes nothing. */
export async function prepareTokens(deps: CoreDeps, input: MintTokensInput): Promise<{ minted: MintedTokens; write: TokenWrite }> {
  const { service, client, grantId } = input;
  const now = deps.now();

  let refreshToken: string | null = null;
  let refreshTokenExpiresAt: number | null = null;
  let refreshTokenDuration: number | null = null;
  const kept = input.keptRefreshToken ?? null;
  if (kept) {
    refreshToken = kept.value;
    refreshTokenExpiresAt = kept.expiresAt;
    refreshTokenDuration = Math.max(0, Math.ceil((refreshTokenExpiresAt - now) / 1000));
  } else if (input.withRefreshToken) {
    refreshToken = input.refreshTokenValue ?? newCredential();
    const fresh = refreshTokenLifetime(service, client, input.refreshTokenDuration);
    refreshTokenExpiresAt = input.refreshTokenExpiresAt ?? now + fresh * 1000;
    refreshTokenDuration = input.refreshTokenExpiresAt ? Math.max(0, Math.ceil((refreshTokenExpiresAt - now) / 1000)) : fresh;
  }

  let accessTokenDuration = accessTokenLifetime(service, client, input.accessTokenDuration);
  let accessTokenExpiresAt = now + accessTokenDuration * 1000;
  if (input.accessTokenPersistent) {
    // A JWT must carry its exp (RFC 9068 §2.2), and one for 9999 would keep its signing key published until then (key-coverage.ts).
    if (service.accessTokenSignAlg) throw new Error("a persistent access token was asked of a service that signs access tokens");
    accessTokenExpiresAt = persistentExpiresAt;
    accessTokenDuration = Math.ceil((accessTokenExpiresAt - now) / 1000);
  } else if (service.tokenExpirationLinked && refreshTokenExpiresAt !== null && refreshTokenExpiresAt < accessTokenExpiresAt) {
    accessTokenExpiresAt = refreshTokenExpiresAt;
    accessTokenDuration = Math.max(0, Math.ceil((accessTokenExpiresAt - now) / 1000));
  }

  const jwtAccessToken = service.accessTokenSignAlg ? await signAccessToken(deps, input, now, accessTokenExpiresAt) : null;
  const accessToken = jwtAccessToken ?? input.accessTokenValue ?? newCredential();
  const refreshTokenHash = kept ? kept.record.tokenHash : refreshToken ? credentialHash(refreshToken) : null;
  const refreshTokenScopes = kept ? kept.record.scopes : refreshToken ? (input.refreshTokenScopes ?? input.scopes) : null;
  // The first mint of a grant's tokens records what its claims were worked out for; refreshes carry it on.
  const details: TokenDetails = { ...input.details, consentedScopes: input.details.consentedScopes ?? input.scopes };

  const accessRecord: AccessTokenRecord = {
    tokenHash: credentialHash(accessToken),
    serviceId: service.serviceId,
    clientId: client.clientId,
    grantId,
    subject: input.subject,
    scopes: input.scopes,
    refreshTokenHash,
    details: jwtAccessToken ? { ...details, jwt: true } : details,
    createdAt: now,
    expiresAt: accessTokenExpiresAt,
    revokedAt: null,
  };
  const write: TokenWrite = { accessToken: accessRecord };
  if (input.newGrant) write.grant = input.newGrant;
  if (!kept && refreshTokenHash !== null && refreshTokenExpiresAt !== null && refreshTokenScopes !== null) {
    const refreshRecord: RefreshTokenRecord = {
      tokenHash: refreshTokenHash,
      serviceId: service.serviceId,
      clientId: client.clientId,
      grantId,
      subject: input.subject,
      scopes: refreshTokenScopes,
      details: { ...details, ...(input.refreshTokenBinding ?? unbound) },
      createdAt: now,
      expiresAt: refreshTokenExpiresAt,
      rotatedAt: null,
      revokedAt: null,
    };
    write.refreshToken = refreshRecord;
  }

  return {
    minted: {
      accessToken,
      accessTokenExpiresAt,
      accessTokenDuration,
      jwtAccessToken,
      refreshToken,
      refreshTokenExpiresAt,
      refreshTokenDuration,
      refreshTokenScopes,
    },
    write,
  };
}

/**
 * After a write, enforces `singleAccessTokenPerSubject` (service or client): the subject's other
 * live access tokens at this client are revoked, keeping the one just issued.
 */
export async function enforceSingleAccessToken(deps: CoreDeps, input: MintTokensInput, write: TokenWrite): Promise<void> {
  if (input.subject === null) return;
  if (!input.service.singleAccessTokenPerSubject && !input.client.singleAccessTokenPerSubject) return;
  await deps.store.revokeAccessTokensOfSubject(
    input.service.serviceId,
    input.client.clientId,
    input.subject,
    deps.now(),
    write.accessToken.tokenHash,
  );
}

/** Writes prepared tokens (with the grant when new) and applies `singleAccessTokenPerSubject`. */
export async function writeTokens(deps: CoreDeps, input: MintTokensInput, write: TokenWrite): Promise<void> {
  try {
    await deps.store.saveTokens(write);
  } catch (error) {
    throw await chosenValueConflict(deps, input, error);
  }
  await enforceSingleAccessToken(deps, input, write);
}

/** Prepares the tokens, writes them (with the grant when new) and applies `singleAccessTokenPerSubject`. */
export async function mintTokens(deps: CoreDeps, input: MintTokensInput): Promise<MintedTokens> {
  const { minted, write } = await prepareTokens(deps, input);
  await writeTokens(deps, input, write);
  return minted;
}
