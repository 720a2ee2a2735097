import { z } from "@hono/zod-openapi";
import { honoured } from "../../domain/field-support.js";

/** What a login server says of an ID token made for tokens issued earlier: at /idtoken/reissue and /nativesso. */
export const idTokenOfIssuedTokensFields = {
  sub: honoured(
    z.string().max(1000).nullish(),
    "Overrides the ID token's `sub`, as at /auth/authorization/issue (1 to 100 printable ASCII characters); absent: the `sub` the grant was issued with.",
  ),
  claims: honoured(
    z.string().max(65_535).nullish(),
    "JSON object of the user's claim values. Only claims the user consented to release to the client (the grant's claims and the token's UserInfo claims, " +
      "less those of scopes withdrawn since) are embedded; others are dropped. Protocol claims (iss, sub, aud, at_hash, …) are never replaced.",
  ),
  idtHeaderParams: honoured(
    z.string().max(65_535).nullish(),
    "JSON object of extra JWS header parameters of the ID token, as at /auth/authorization/issue; alg, kid, typ and the key references are never replaced.",
  ),
  idTokenAudType: honoured(
    z.enum(["array", "string"]).nullish(),
    "The shape of the ID token's `aud`: `array` (the client id in an array) or `string`; absent: the service's idTokenAudType, else one string.",
  ),
};

/**
 * `/idtoken/reissue` (Authlete's `idtoken_reissue_request`). The tokens are optional on the wire so a
 * call without one is answered CALLER_ERROR with its own code, as every other wrong call here.
 */
export const idTokenReissueRequestFields = {
  accessToken: honoured(
    z.string().max(8192).optional(),
    "The access token of the refresh answered ID_TOKEN_REISSUABLE (its `jwtAccessToken` when the service signs access tokens); missing: CALLER_ERROR.",
  ),
  refreshToken: honoured(
    z.string().max(8192).optional(),
    "The refresh token the same refresh answered, the one issued with `accessToken`; missing: CALLER_ERROR.",
  ),
  ...idTokenOfIssuedTokensFields,
};
