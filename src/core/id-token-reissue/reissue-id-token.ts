import type { Service } from "../../domain/service.js";
import { subjectPattern } from "../authorization/issue/issue-input.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";
import { createIdToken, type IdTokenAudType } from "../tokens/id-token.js";
import { parseJsonObject } from "../tokens/jwt-claims.js";
import { issuedTokensResponse, reissuableTokens, reissueRefusals } from "./reissuable-tokens.js";
import { reissuedClaims } from "./reissued-claims.js";

/** What the login server sends to /idtoken/reissue (Authlete's `idtoken_reissue_request`). */
export interface IdTokenReissueInput {
  accessToken?: string | null;
  refreshToken?: string | null;
  /** Overrides the `sub` claim, as at /auth/authorization/issue; absent: the one the tokens were issued with. */
  sub?: string | null;
  /** JSON object of the user's claim values; only consented ones are embedded (reissued-claims.ts). */
  claims?: string | null;
  /** JSON object of extra JWS header parameters, as at /auth/authorization/issue. */
  idtHeaderParams?: string | null;
  /** The shape of the ID token's `aud`; absent: the service's `idTokenAudType`. */
  idTokenAudType?: IdTokenAudType | null;
}

export type IdTokenReissueResult =
  | { action: "OK"; resultCode: string; resultMessage: string; responseContent: string; idToken: string }
  | { action: "CALLER_ERROR"; resultCode: string; resultMessage: string };

/**
 * `/idtoken/reissue`: after a refresh answered ID_TOKEN_REISSUABLE, a new ID token for the tokens it
 * issued, with the user's claims, and the token response to relay with it. Nothing is written: the
 * tokens stay as the refresh issued them, and the call can be repeated while they are usable.
 * The ID token (OIDC Core §12.2): iss, sub (the override, else the one the grant was issued with),
 * aud, exp, iat, auth_time and acr of the original authentication, at_hash of the access token, no
 * nonce. The response: access_token, token_type, expires_in (what is left of the access token's
 * life), refresh_token, scope, id_token, and authorization_details, grant_id and visible properties
 * as the refresh answered them.
 * Every call that cannot be answered (see `reissuableTokens` and the checks below) is CALLER_ERROR
 * with its own result code, checked before anything is signed.
 */
export async function reissueIdToken(deps: CoreDeps, service: Service, input: IdTokenReissueInput): Promise<IdTokenReissueResult> {
  try {
    return await reissue(deps, service, input);
  } catch (error) {
    if (!(error instanceof CallerError)) throw error;
    return { ...resultBody(error.resultName, ...error.args), action: "CALLER_ERROR" };
  }
}

/** A JSON-object field of the call, parsed; not an object: a CallerError with `refusal`. */
export function jsonObjectOf(value: string | null | undefined, field: string, refusal: ResultCodeName): Record<string, unknown> | null {
  if (!value) return null;
  const parsed = parseJsonObject(value);
  if (parsed === null) throw new CallerError(refusal, field);
  return parsed;
}

async function reissue(deps: CoreDeps, service: Service, input: IdTokenReissueInput): Promise<IdTokenReissueResult> {
  if (!service.idTokenReissuable) throw new CallerError("idTokenReissueNotEnabled");
  const { accessToken, refreshToken } = input;
  if (!accessToken) throw new CallerError("idTokenReissueTokenMissing", "accessToken");
  if (!refreshToken) throw new CallerError("idTokenReissueTokenMissing", "refreshToken");
  if (input.sub && !subjectPattern.test(input.sub)) throw new CallerError("idTokenReissueSubInvalid");
  const claims = jsonObjectOf(input.claims, "claims", "idTokenReissueJsonObjectInvalid");
  jsonObjectOf(input.idtHeaderParams, "idtHeaderParams", "idTokenReissueJsonObjectInvalid");

  const tokens = await reissuableTokens(deps, service, accessToken, refreshToken, reissueRefusals);
  const { details, client } = tokens;
  const record = tokens.accessToken;
  const idToken = await createIdToken(deps, {
    service,
    client,
    subject: record.subject,
    sub: input.sub || details.sub,
    authTime: details.authTime,
    acr: details.acr,
    claims: reissuedClaims(tokens, claims),
    accessToken,
    idtHeaderParams: input.idtHeaderParams || null,
    audType: input.idTokenAudType,
  });
  const body = issuedTokensResponse(deps, service, tokens, accessToken, refreshToken, idToken);
  return { ...resultBody("idTokenReissued"), action: "OK", responseContent: JSON.stringify(body), idToken };
}
