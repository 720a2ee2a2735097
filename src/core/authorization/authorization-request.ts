import { type Display, type GrantUpdateAction, type Prompt, type ResponseMode, type ResponseType, responseTypeWords } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { GrantContent } from "../../domain/records.js";

/**
 * A validated authorization request: what `/auth/authorization` learned, parked in the ticket and
 * read back by `/issue` and `/fail`. JSON-serialisable.
 */
export interface ParsedAuthorizationRequest {
  clientId: number;
  clientIdAliasUsed: boolean;
  /** Where the response goes: the `redirect_uri` sent, or the single registered one when it was omitted. */
  redirectUri: string;
  /** `redirect_uri` exactly as sent, null when omitted; the token endpoint compares against it (RFC 6749 §4.1.3). */
  redirectUriSent: string | null;
  responseType: ResponseType;
  responseMode: ResponseMode;
  state: string | null;
  nonce: string | null;
  scopes: string[];
  /** The request is an OpenID Connect request (`openid` among the scopes). */
  openid: boolean;
  codeChallenge: string | null;
  codeChallengeMethod: "plain" | "S256" | null;
  prompts: Prompt[];
  /** Seconds; 0 means no constraint unless `maxAgeApplies` (`max_age=0`: the user must authenticate again). */
  maxAge: number;
  /** `max_age` was sent (0 included) or the client's `defaultMaxAge` applies: the authentication may be at most `maxAge` seconds older than the request. */
  maxAgeApplies: boolean;
  /** `auth_time` was requested as an essential claim (`claims`, `id_token` or `userinfo` member; OIDC Core §5.5.1). */
  authTimeEssential: boolean;
  /** The user the client insists on (verified `id_token_hint`, or `sub` in `claims`). */
  subject: string | null;
  loginHint: string | null;
  acrs: string[];
  acrEssential: boolean;
  /** Claim names wanted in the ID token. */
  claims: string[];
  /** Claim names wanted at the UserInfo endpoint. */
  claimsAtUserInfo: string[];
  idTokenClaims: string | null;
  userInfoClaims: string | null;
  uiLocales: string[];
  claimsLocales: string[];
  display: Display;
  resources: string[];
  /** The verified request object's payload JSON (RFC 9101), null without one; reported as `requestObjectPayload`. */
  requestObjectPayload: string | null;
  /** The `authorization_details` (RFC 9396) as parsed objects; empty without them. */
  authorizationDetails: AuthorizationDetail[];
  /** The DPoP key thumbprint the authorization code will be bound to (RFC 9449 §10): `dpop_jkt`, or the PAR request's proof's; null without one. */
  dpopJkt: string | null;
  /**
   * Grant Management (`readGrantManagement`): the request's `grant_management_action`, null without
   * one. The four grant fields are absent in tickets parked before Tessera read them, which is null.
   */
  gmAction?: GrantUpdateAction | null;
  /** The grant a MERGE or REPLACE changes (`grant_id`); null otherwise. */
  grantId?: string | null;
  /** The user of that grant: only that user's consent may change it. */
  grantSubject?: string | null;
  /** What that grant held when the request was checked, for the consent page (Authlete's `grant`). */
  grant?: GrantContent | null;
}

/** What a response type makes the authorization endpoint return. */
export function responseTypeCarries(responseType: ResponseType): { code: boolean; idToken: boolean; accessToken: boolean } {
  const words: readonly string[] = responseTypeWords[responseType];
  return { code: words.includes("code"), idToken: words.includes("id_token"), accessToken: words.includes("token") };
}

/** Authlete's prompt order: the request's lowest prompt is what the UI must at least do; CONSENT when none was asked for. */
const promptOrder: readonly Prompt[] = ["NONE", "LOGIN", "CONSENT", "SELECT_ACCOUNT", "CREATE"];

export function lowestPrompt(prompts: readonly Prompt[]): Prompt {
  if (prompts.length === 0) return "CONSENT";
  return promptOrder.find((prompt) => prompts.includes(prompt)) ?? "CONSENT";
}
