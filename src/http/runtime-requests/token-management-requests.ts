import { z } from "@hono/zod-openapi";
import { Property, RequestDuration } from "../../domain/common.js";
import { GrantType } from "../../domain/enums.js";
import { extension, honoured, pending } from "../../domain/field-support.js";
import { missingFeature } from "../../domain/missing-features.js";
import { AuthzDetails } from "../authorization-details-wire.js";
import { pageOffset } from "../routes/management/params.js";
import { chosenAccessToken } from "./token-requests.js";

const query = (name: string) => ({ param: { name, in: "query" as const } });
const clientIdentifier = z.string().min(1).max(200);
const subject = z.string().min(1).max(200);
const tokenIdentifier = z.string().min(1).max(8192);

/** `GET /auth/token/get/list` (Authlete's `auth_token_get_list_api` query). */
export const tokenListQueryFields = {
  clientIdentifier: honoured(
    clientIdentifier.optional().openapi(query("clientIdentifier")),
    "Only the tokens of this client (its clientId or clientIdAlias). A client unknown in this service matches no token: the list is empty.",
  ),
  subject: honoured(subject.optional().openapi(query("subject")), "Only the tokens of this subject (the resource owner); one without tokens gets an empty list."),
  start: honoured(pageOffset("start", "0"), "Index of the first token of the page (inclusive), default 0; beyond the last token the page is empty."),
  end: honoured(pageOffset("end", "start + 5"), "Index after the last token of the page (exclusive), default start + 5, at most start + 1000; below start: A000208."),
  tokenStatus: extension(
    z.enum(["VALID", "INVALID", "ALL"]).optional().openapi(query("tokenStatus")),
    "VALID: tokens still usable (the access token is live, or its refresh token can still refresh); INVALID: the others (revoked, expired, rotated); ALL (default): both. Authlete's Java and SDK clients send it.",
  ),
};

/** `DELETE /auth/token/delete/{accessTokenIdentifier}`: everything is in the path. */
export const tokenDeleteRequestFields = {};

/** `POST /auth/token/revoke` (Authlete's `token_revoke_request`). */
export const tokenRevokeRequestFields = {
  accessTokenIdentifier: honoured(
    tokenIdentifier.optional(),
    "An access token (its value or its `accessTokenHash`): it is revoked with the refresh token issued with it.",
  ),
  refreshTokenIdentifier: honoured(
    tokenIdentifier.optional(),
    "A refresh token (its value or its `refreshTokenHash`): it is revoked with the access tokens issued with it.",
  ),
  clientIdentifier: honoured(
    clientIdentifier.optional(),
    "Every token of this client (its clientId or clientIdAlias), of `subject` only when it is given; the grants are revoked too. Not with a token identifier (A136203).",
  ),
  subject: honoured(subject.optional(), "Every token of this subject, at `clientIdentifier` only when it is given; the grants are revoked too. Not with a token identifier (A136203)."),
};

/** SDKs send "" for a string left unset: read as absent. */
const orEmpty = <S extends z.ZodType>(schema: S) => z.union([z.literal(""), schema]).optional();
const thumbprint = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "a SHA-256 thumbprint, base64url (43 characters)");
const duration = (what: string) =>
  honoured(RequestDuration.min(0).optional(), `Lifetime of the ${what} in seconds, used when > 0; 0 or absent: the service's and client's setting.`);

/** A refresh-token value the caller chooses, within the bounds of a chosen access token's ("" is absent). */
const chosenRefreshToken = chosenAccessToken;

/** `POST /auth/token/create` (Authlete's `token_create_request`). */
export const tokenCreateRequestFields = {
  grantType: honoured(
    GrantType,
    "The grant type the tokens are minted as: one Tessera implements, the service supports and the client registered (A109204). It decides whether a refresh token comes with the access token.",
  ),
  clientId: honoured(
    z.number().int().min(0).optional(),
    "The client of the tokens, by number (0: not given); with clientIdentifier, both must name it (A109203). Unknown: A109202.",
  ),
  clientIdentifier: honoured(orEmpty(z.string().min(1).max(200)), "The client of the tokens, by number or clientIdAlias. Unknown: A109202."),
  subject: honoured(
    orEmpty(
      z
        .string()
        .min(1)
        .max(100)
        .regex(/^[\x21-\x7E]+$/, "subject is 1 to 100 printable ASCII characters"),
    ),
    "The user the tokens act for; required (A109205) except for CLIENT_CREDENTIALS, which refuses one (A109206).",
  ),
  scopes: honoured(
    z.array(z.string().min(1).max(200)).max(100).optional(),
    "Scopes of the tokens: each one the service supports (A109207) and the client may request (A109208). Absent: none.",
  ),
  accessTokenDuration: duration("access token"),
  refreshTokenDuration: duration("refresh token"),
  properties: honoured(z.array(Property).max(100).optional(), "Extra properties stored with the tokens, returned by introspection (visible ones in the token response)."),
  clientIdAliasUsed: honoured(z.boolean().optional(), "Whether the client is named by its alias in what the tokens carry (the JWT access token's `client_id`, introspection)."),
  accessToken: honoured(chosenAccessToken, "Value for the access token instead of a generated one (opaque tokens only): 32 to 1000 characters, not a token of this service already (A054203)."),
  refreshToken: honoured(
    chosenRefreshToken,
    "Value for the refresh token instead of a generated one, e.g. the value a migrated client still holds: 32 to 1000 characters, stored by its hash only; " +
      "not a token of this service already (A109213) nor the accessToken value (A109214); only for a grant type that comes with a refresh token (A109212).",
  ),
  accessTokenPersistent: honoured(
    z.boolean().optional(),
    "The access token never expires by time: it lasts until revoked or deleted, and accessTokenDuration (and tokenExpirationLinked) are ignored. Its " +
      "expiry reads 9999-12-31T23:59:59Z (253402300799000) everywhere. Not on a service that issues JWT access tokens (A109215).",
  ),
  certificateThumbprint: honoured(orEmpty(thumbprint), "Binds the tokens to the client certificate of this SHA-256 thumbprint (RFC 8705 section 3): presented only with it."),
  dpopKeyThumbprint: honoured(orEmpty(thumbprint), "Binds the tokens to the DPoP key of this JWK thumbprint (RFC 9449 section 6): a DPoP token, presented only with proofs of that key."),
  authorizationDetails: honoured(
    AuthzDetails.nullish(),
    "Authorization details (RFC 9396) of the tokens: each type one the service supports (A109209) and the client may use (A109210).",
  ),
  resources: honoured(z.array(z.string().min(1).max(2000)).max(20).optional(), "Resources (RFC 8707) the access token is for, its audience: absolute URIs without a fragment (A109211)."),
  forExternalAttachment: pending(z.boolean(), missingFeature.IDA),
  jwtAtClaims: honoured(z.string().max(65_536).optional(), "JSON object of extra claims for a JWT access token (never overriding the RFC 9068 claims)."),
  acr: honoured(orEmpty(z.string().min(1).max(200)), "The authentication context class of the user's authentication, carried by the tokens (introspection, JWT `acr`)."),
  authTime: honoured(z.number().int().min(0).optional(), "When the user authenticated, seconds since the epoch, carried by the tokens (introspection, JWT `auth_time`); 0 or absent: none."),
  clientEntityIdUsed: pending(z.boolean(), missingFeature.FEDERATION),
  sessionId: honoured(
    z.string().max(200).nullish(),
    "The login session the tokens belong to (OpenID Connect Native SSO), on a service with nativeSsoSupported: /nativesso puts it in their ID token as `sid`, " +
      "and /nativesso/logout revokes them with the session. Without nativeSsoSupported it is accepted and not used.",
  ),
  metadataDocumentUsed: pending(z.boolean(), missingFeature.CIMD),
};

const expiry = (what: string) =>
  honoured(z.number().int().optional(), `New expiry of the ${what}, epoch milliseconds; 0, negative or absent: unchanged.`);

/** `POST /auth/token/update` (Authlete's `token_update_request`). */
export const tokenUpdateRequestFields = {
  accessToken: honoured(orEmpty(tokenIdentifier), "The access token to update, by value; it wins over accessTokenHash. Unknown or revoked: A135202."),
  accessTokenHash: honoured(orEmpty(tokenIdentifier), "The access token to update, by the hash a token list shows. One of the two is required (A135201)."),
  accessTokenExpiresAt: expiry("access token"),
  scopes: honoured(
    z.array(z.string().min(1).max(200)).max(100).nullish(),
    "New scopes of the access token and of its live refresh token: each one the service supports (A135203) and the token's client may request (A135204). Absent or null: unchanged.",
  ),
  properties: honoured(z.array(Property).max(100).nullish(), "New properties of the access token; absent or null: unchanged."),
  accessTokenExpiresAtUpdatedOnScopeUpdate: honoured(
    z.boolean().optional(),
    "When the scopes change and no accessTokenExpiresAt is given, the access token gets a fresh lifetime from now.",
  ),
  accessTokenValueUpdated: honoured(
    z.boolean().optional(),
    "The access token gets a new generated value, answered in accessToken: the old value is unknown at once at introspection and userinfo, the refresh " +
      "token issued with it stays. Not for a JWT access token (A135208).",
  ),
  accessTokenPersistent: honoured(
    z.boolean().optional(),
    "true: the access token never expires by time (its expiry reads 9999-12-31T23:59:59Z), accessTokenExpiresAt and the renewal on a scope change are " +
      "ignored; not for a JWT access token (A135207). false: a persistent one gets accessTokenExpiresAt, else a fresh lifetime from now. Absent: unchanged.",
  ),
  certificateThumbprint: honoured(orEmpty(thumbprint), "Binds the access token to the client certificate of this SHA-256 thumbprint (RFC 8705); absent: unchanged."),
  dpopKeyThumbprint: honoured(orEmpty(thumbprint), "Binds the access token to the DPoP key of this JWK thumbprint (RFC 9449), making it a DPoP token; absent: unchanged."),
  authorizationDetails: honoured(
    AuthzDetails.nullish(),
    "New authorization details (RFC 9396): each type one the service supports (A135205) and the token's client may use (A135206). Absent or without elements: unchanged.",
  ),
  forExternalAttachment: pending(z.boolean(), missingFeature.IDA),
  refreshTokenExpiresAt: expiry("live refresh token issued with the access token"),
  refreshTokenExpiresAtUpdatedOnScopeUpdate: honoured(
    z.boolean().optional(),
    "When the scopes change and no refreshTokenExpiresAt is given, the live refresh token gets a fresh lifetime from now.",
  ),
  tokenId: pending(z.string().max(1000), "token identifiers: Authlete's spec does not say what one names"),
};
