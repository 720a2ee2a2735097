/**
 * The UserInfo endpoint (OIDC Core §5.3; docs/endpoints/userinfo.md). Tessera checks the access
 * token and names the claims to return; we look up their values and Tessera builds the answer
 * (JSON, or a signed JWT when the client registered `userInfoSignAlg`).
 */
import type { Hono } from "hono";
import type { LoginServerContext } from "../context.js";
import { bearerToken, isForm, relayBearerError, relayBody } from "../relay.js";
import type { LoginEnv } from "../session.js";
import { claimValues } from "../users.js";

const errorStatus = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, INTERNAL_SERVER_ERROR: 500 } as const;

export function registerUserInfo(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  for (const path of ["/userinfo", "/auth/user-info"]) {
    app.get(path, (c) => userinfo(ctx, bearerToken(c.req.header("authorization"))));
    app.post(path, async (c) => {
      // RFC 6750 §2.2: the token may also come as `access_token` in a form body.
      const fromBody = isForm(c.req.header("content-type")) ? new URLSearchParams(await c.req.text()).get("access_token") : null;
      return userinfo(ctx, bearerToken(c.req.header("authorization")) ?? fromBody ?? undefined);
    });
  }
}

async function userinfo(ctx: LoginServerContext, token: string | undefined): Promise<Response> {
  const path = { params: { path: { serviceId: ctx.serviceId } } };
  const { data } = await ctx.tessera.POST("/api/{serviceId}/auth/userinfo", { ...path, body: token ? { token } : {} });
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
