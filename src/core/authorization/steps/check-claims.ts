import { protocolClaims, scopeClaims } from "../../claims/standard-claims.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelDraft, FrontChannelStep } from "../front-channel-draft.js";

type ClaimRequests = Record<string, { essential?: boolean; value?: unknown; values?: unknown[] } | null>;

/** OIDC Core §5.5.1: each member is null or an object whose `essential` is a boolean and `values` an array. */
function claimRequests(member: unknown, where: string): ClaimRequests | null {
  if (member === undefined || member === null) return null;
  const invalid = authorizationError("invalid_request", "authorizationClaimsInvalid", `${where} must be a JSON object of claim requests`);
  if (typeof member !== "object" || Array.isArray(member)) throw invalid;
  for (const request of Object.values(member as Record<string, unknown>)) {
    if (request === null) continue;
    if (typeof request !== "object" || Array.isArray(request)) throw invalid;
    const { essential, values } = request as Record<string, unknown>;
    if (essential !== undefined && typeof essential !== "boolean") throw invalid;
    if (values !== undefined && !Array.isArray(values)) throw invalid;
  }
  return member as ClaimRequests;
}

function requestedSub(requests: ClaimRequests | null): string | null {
  const value = requests?.sub?.value;
  return typeof value === "string" && value !== "" ? value : null;
}

function applyAcr(draft: FrontChannelDraft, requests: ClaimRequests | null): void {
  const acr = requests?.acr;
  if (!acr) return;
  const values = acr.values ?? (acr.value !== undefined ? [acr.value] : []);
  const acrs = values.filter((value): value is string => typeof value === "string");
  if (acrs.length > 0) draft.acrs = acrs;
  if (acr.essential === true) draft.acrEssential = true;
}

/**
 * OIDC Core §5.5 `claims` (OpenID Connect requests only): a JSON object whose `id_token` and
 * `userinfo` members request individual claims; invalid JSON or structure → invalid_request
 * (catalogue SEC-014). Requested names (minus the protocol claims Tessera sets) become `claims` /
 * `claimsAtUserInfo`, the raw members `idTokenClaims` / `userInfoClaims`; a requested `sub` value
 * becomes `subject` (§5.5.1); an `acr` request sets `acrs` and `acrEssential` (§5.5.1.1); an essential
 * `auth_time` request sets `authTimeEssential` (§2: the response must then carry it), as does the client's
 * `authTimeRequired` (OIDC Registration §2 `require_auth_time`).
 * §5.4: claims implied by the scopes go to the ID token only for `response_type=id_token` (no access
 * token is ever issued), otherwise to the UserInfo endpoint. Names are limited to the service's `supportedClaims`.
 */
export const checkClaims: FrontChannelStep = (draft) => {
  if (!draft.openid || draft.responseType === null) return;
  const raw = draft.params.get("claims");
  let idTokenRequests: ClaimRequests | null = null;
  let userInfoRequests: ClaimRequests | null = null;
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw authorizationError("invalid_request", "authorizationClaimsInvalid", "not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw authorizationError("invalid_request", "authorizationClaimsInvalid", "not a JSON object");
    }
    const members = parsed as Record<string, unknown>;
    idTokenRequests = claimRequests(members.id_token, "id_token");
    userInfoRequests = claimRequests(members.userinfo, "userinfo");
    if (idTokenRequests) draft.idTokenClaims = JSON.stringify(idTokenRequests);
    if (userInfoRequests) draft.userInfoClaims = JSON.stringify(userInfoRequests);
  }

  const supported = new Set(draft.service.supportedClaims);
  const keep = (name: string) => !protocolClaims.has(name) && (supported.size === 0 || supported.has(name));
  const fromScopes = draft.scopes.flatMap((scope) => scopeClaims[scope.name] ?? []);
  const scopeClaimsToIdToken = draft.responseType === "ID_TOKEN";
  const idToken = [...(scopeClaimsToIdToken ? fromScopes : []), ...Object.keys(idTokenRequests ?? {})];
  const userInfo = [...(scopeClaimsToIdToken ? [] : fromScopes), ...Object.keys(userInfoRequests ?? {})];
  draft.claims = [...new Set(idToken.filter(keep))];
  draft.claimsAtUserInfo = [...new Set(userInfo.filter(keep))];

  applyAcr(draft, idTokenRequests);
  draft.authTimeEssential =
    draft.client.authTimeRequired === true || [idTokenRequests, userInfoRequests].some((requests) => requests?.auth_time?.essential === true);
  const subs = [requestedSub(idTokenRequests), requestedSub(userInfoRequests)].filter((sub): sub is string => sub !== null);
  if (subs.length > 0 && draft.client.subjectType === "PUBLIC") {
    const sub = subs[0] as string;
    if (subs.some((other) => other !== sub) || (draft.subject !== null && draft.subject !== sub)) {
      throw authorizationError("invalid_request", "authorizationSubjectConflict");
    }
    draft.subject = sub;
  }
};
