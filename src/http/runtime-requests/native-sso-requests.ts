import { z } from "@hono/zod-openapi";
import { honoured } from "../../domain/field-support.js";
import { idTokenOfIssuedTokensFields } from "./idtoken-reissue-request.js";

/**
 * `/nativesso` (Authlete's `native_sso_request`). The tokens and the device secret are optional on the
 * wire so a call without one is answered CALLER_ERROR with its own code, as every other wrong call here.
 */
export const nativeSsoRequestFields = {
  accessToken: honoured(
    z.string().max(8192).optional(),
    "The access token of the NATIVE_SSO answer of /auth/token (its `jwtAccessToken` when the service signs access tokens); missing: CALLER_ERROR (A501202).",
  ),
  refreshToken: honoured(
    z.string().max(8192).nullish(),
    "The refresh token of the same answer, when it has one: it must be the one issued with `accessToken` (A501209), and goes into the response.",
  ),
  deviceSecret: honoured(
    z.string().max(4096).optional(),
    "The device secret to hand out as `device_secret`: the client's `deviceSecret` when the login server accepts it, else a new one. Tessera records it " +
      "(a SHA-256, bound to the new ID token's ds_hash) with the tokens' grant: a Native SSO token exchange must present that ID token with this secret. Missing: CALLER_ERROR (A501202).",
  ),
  deviceSecretHash: honoured(
    z.string().max(512).nullish(),
    "The ID token's `ds_hash`, computed as the login server likes; absent: base64url of the device secret's SHA-256.",
  ),
  ...idTokenOfIssuedTokensFields,
};

/** `/nativesso/logout` (Authlete's `native_sso_logout_request`). */
export const nativeSsoLogoutRequestFields = {
  sessionId: honoured(
    z.string().max(200).optional(),
    "The login session to end: every grant made in it is revoked with its access and refresh tokens, and its device secrets open nothing more. Missing: CALLER_ERROR (A503201).",
  ),
};
