/**
 * The token endpoint (RFC 6749 §3.2; docs/endpoints/token.md).
 * Tessera authenticates the client, checks the grant and mints the tokens; we forward the raw form
 * body, the Basic credentials, the DPoP proof (RFC 9449 §5) and the client certificate (RFC 8705),
 * relay the DPoP nonce, and answer the password grant's PASSWORD action and the JWT bearer grant's
 * JWT_BEARER action and token exchange's TOKEN_EXCHANGE action ourselves; a refresh answered
 * ID_TOKEN_REISSUABLE gets an ID token with the user's claims, and NATIVE_SSO (a code, refresh or
 * token exchange of OpenID Connect Native SSO) is finished in native-sso.ts.
 */
import type { Hono } from "hono";
import type { Schema } from "../../../sdk/index.js";
import type { LoginServerContext } from "../context.js";
import { dpopInputs, readDpopHeader, withDpopNonce } from "../dpop.js";
import { basicCredentials, isForm, oauthError, relayJson } from "../relay.js";
import type { LoginEnv } from "../session.js";
import { finishNativeSso } from "./native-sso.js";
import { exchangeToken } from "./token-exchange.js";

const invalidClientHeaders = { "WWW-Authenticate": 'Basic realm="token"' };

export function registerToken(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  for (const path of ["/token", "/auth/token"]) {
    app.post(path, async (c) => {
      // Only a form body, never parameters in the query string (RFC 6749 §3.2).
      if (!isForm(c.req.header("content-type")) || new URL(c.req.url).search !== "") {
        return oauthError(400, "invalid_request", "send the parameters as an application/x-www-form-urlencoded body");
      }
      // RFC 9449 §4.3: more than one DPoP header is refused before anything else.
      const dpop = readDpopHeader(c);
      if ("refused" in dpop) return oauthError(400, "invalid_dpop_proof", dpop.refused);
      const { data, response } = await ctx.tessera.POST("/api/{serviceId}/auth/token", {
        params: { path: { serviceId: ctx.serviceId } },
        body: {
          parameters: await c.req.text(),
          ...basicCredentials(c.req.header("authorization")),
          ...dpopInputs(ctx, c, path, dpop.proof),
          ...ctx.clientCertificate(c),
        },
      });
      // 403 A001215: the client is locked; to the client that is just a failed authentication.
      if (!data) return response.status === 403 ? oauthError(401, "invalid_client", "client authentication failed", invalidClientHeaders) : oauthError(500, "server_error", "try again later");
      // Every answer, errors included, carries the nonce the next proof must hold (RFC 9449 §8).
      return withDpopNonce(await relayToken(ctx, data), data);
    });
  }
}

async function relayToken(ctx: LoginServerContext, data: Schema<"TokenResponse">): Promise<Response> {
  switch (data.action) {
    case "OK":
      return relayJson(200, data.responseContent);
    case "BAD_REQUEST":
      return relayJson(400, data.responseContent);
    case "INVALID_CLIENT":
      return relayJson(401, data.responseContent, invalidClientHeaders);
    case "PASSWORD": {
      // Resource owner password grant: we check the credentials, Tessera issues or refuses.
      const user = ctx.users.verify(data.username ?? "", data.password ?? "");
      const next = user
        ? await ctx.tessera.POST("/api/{serviceId}/auth/token/issue", {
            params: { path: { serviceId: ctx.serviceId } },
            body: { ticket: data.ticket!, subject: user.subject },
          })
        : await ctx.tessera.POST("/api/{serviceId}/auth/token/fail", {
            params: { path: { serviceId: ctx.serviceId } },
            body: { ticket: data.ticket!, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" },
          });
      const action = next.data?.action;
      return relayJson(action === "OK" ? 200 : action === "BAD_REQUEST" ? 400 : 500, next.data?.responseContent);
    }
    case "JWT_BEARER":
      return issueForAssertion(ctx, data);
    case "TOKEN_EXCHANGE":
      return exchangeToken(ctx, data);
    case "ID_TOKEN_REISSUABLE":
      return reissueIdToken(ctx, data);
    case "NATIVE_SSO":
      return finishNativeSso(ctx, data);
    default:
      return relayJson(500, data.responseContent);
  }
}

/**
 * JWT bearer grant (RFC 7523 §2.1; docs/endpoints/jwt-bearer.md): Tessera verified the assertion
 * against the service's trusted issuers. The demo policy trusts the issuer's word: the assertion's
 * subject as it is, the scopes the client asked for (those Tessera found grantable). A real login
 * server would map the subject to a local account and may refuse (invalid_grant) instead. We build
 * the token response (RFC 6749 §5.1) from what /auth/token/create answers.
 */
async function issueForAssertion(ctx: LoginServerContext, data: Schema<"TokenResponse">): Promise<Response> {
  const { data: created } = await ctx.tessera.POST("/api/{serviceId}/auth/token/create", {
    params: { path: { serviceId: ctx.serviceId } },
    body: {
      grantType: "JWT_BEARER",
      clientId: data.clientId!,
      subject: data.subject!,
      scopes: data.scopes ?? [],
      ...(data.resources ? { resources: data.resources } : {}),
    },
  });
  if (!created) return oauthError(500, "server_error", "try again later");
  const body = {
    access_token: created.accessToken,
    token_type: created.tokenType,
    expires_in: created.expiresIn,
    ...(created.refreshToken ? { refresh_token: created.refreshToken } : {}),
    ...(created.scopes.length > 0 ? { scope: created.scopes.join(" ") } : {}),
  };
  return relayJson(200, JSON.stringify(body));
}

/**
 * A refresh on a service with idTokenReissuable (docs/endpoints/idtoken-reissue.md): the tokens are
 * issued; we ask for an ID token carrying the user's current claims from our directory (Tessera keeps
 * only those the user consented to) and relay that response. Should the reissue fail, the refresh's
 * own response is still a valid token response, so the client gets it rather than an error.
 */
async function reissueIdToken(ctx: LoginServerContext, data: Schema<"TokenResponse">): Promise<Response> {
  const user = data.subject ? ctx.users.bySubject(data.subject) : null;
  const { data: reissued } = await ctx.tessera.POST("/api/{serviceId}/idtoken/reissue", {
    params: { path: { serviceId: ctx.serviceId } },
    body: {
      accessToken: data.jwtAccessToken ?? data.accessToken,
      refreshToken: data.refreshToken,
      ...(user ? { claims: JSON.stringify(user.claims) } : {}),
    },
  });
  return relayJson(200, reissued?.action === "OK" ? reissued.responseContent : data.responseContent);
}
