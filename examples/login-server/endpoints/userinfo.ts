/**
 * The UserInfo endpoint (OIDC Core §5.3; docs/endpoints/userinfo.md). Tessera checks the access
 * token and names the claims to return; we look up their values and Tessera builds the answer
 * (JSON, or a signed JWT when the client registered `userInfoSignAlg`).
 *
 * A DPoP-bound token comes as `Authorization: DPoP <token>` with a proof in the `DPoP` header
 * (RFC 9449 §7.1): we forward the proof with `htm` and `htu`. A token sent with the `Bearer`
 * scheme (or in a form body) is forwarded without any proof, even when a `DPoP` header came along,
 * so a DPoP-bound token used as a bearer token is refused. The client certificate of a mutual-TLS
 * connection goes along for certificate-bound tokens (RFC 8705 §3).
 */
import type { Hono } from "hono";
import type { Schema } from "../../../sdk/index.js";
import type { LoginContext, LoginServerContext } from "../context.js";
import { accessTokenOf, type DpopInputs, dpopInputs, readDpopHeader, withDpopNonce } from "../dpop.js";
import { isForm, relayBearerError, relayBody } from "../relay.js";
import type { LoginEnv } from "../session.js";
import { claimValues } from "../users.js";

const errorStatus = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, INTERNAL_SERVER_ERROR: 500 } as const;

export function registerUserInfo(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  for (const path of ["/userinfo", "/auth/user-info"]) {
    app.get(path, (c) => userinfo(ctx, c, path, undefined));
    app.post(path, async (c) => {
      // RFC 6750 §2.2: the token may also come as `access_token` in a form body.
      const fromBody = isForm(c.req.header("content-type")) ? new URLSearchParams(await c.req.text()).get("access_token") : null;
      return userinfo(ctx, c, path, fromBody ?? undefined);
    });
  }
}

async function userinfo(ctx: LoginServerContext, c: LoginContext, path: string, fromBody: string | undefined): Promise<Response> {
  const presented = accessTokenOf(c.req.header("authorization"));
  const token = presented?.token ?? fromBody;
  let proof: DpopInputs = {};
  if (presented?.scheme === "DPoP") {
    const dpop = readDpopHeader(c);
    // RFC 9449 §7.1: a resource server answers a bad proof with a DPoP challenge.
    if ("refused" in dpop) return relayBearerError(401, `DPoP error="invalid_dpop_proof", error_description="${dpop.refused}"`);
    proof = dpopInputs(ctx, c, path, dpop.proof);
  }
  const { clientCertificate } = ctx.clientCertificate(c);
  const asked = await ctx.tessera.POST("/api/{serviceId}/auth/userinfo", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { ...(token ? { token } : {}), ...proof, ...(clientCertificate ? { clientCertificate } : {}) },
  });
  // The nonce of the check goes on every answer, the claims' as well as an error's (RFC 9449 §9).
  return withDpopNonce(await relayUserInfo(ctx, token, asked.data), asked.data);
}

async function relayUserInfo(ctx: LoginServerContext, token: string | undefined, data: Schema<"UserInfoResponse"> | undefined): Promise<Response> {
  const path = { params: { path: { serviceId: ctx.serviceId } } };
  if (!data) return relayBearerError(500, 'Bearer error="server_error"');
  if (data.action !== "OK") return relayBearerError(errorStatus[data.action], data.responseContent);

  const user = ctx.users.bySubject(data.subject ?? "");
  const claims = user ? claimValues(user, data.claims) : {};
  const issued = await ctx.tessera.POST("/api/{serviceId}/auth/userinfo/issue", { ...path, body: { token: token!, claims: JSON.stringify(claims) } });
  const answer = issued.data;
  if (!answer) return relayBearerError(500, 'Bearer error="server_error"');
  switch (answer.action) {
    case "JSON":
      return relayBody(200, answer.responseContent, "application/json;charset=UTF-8");
    case "JWT":
      return relayBody(200, answer.responseContent, "application/jwt");
    default:
      return relayBearerError(errorStatus[answer.action], answer.responseContent);
  }
}
