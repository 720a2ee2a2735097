import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DpopKey, makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import {
  authorizationTicket,
  introspectionRequest,
  ISSUER,
  issueRequest,
  type LoginServer,
  parsed,
  REDIRECT,
  startLoginServer,
  tokenRequest,
  userinfoRequest,
} from "./authlete-sdk-suite-login-server.js";

/**
 * DPoP (RFC 9449) through `@authlete/typescript-sdk`, as a login server written for Authlete passes
 * it: the `DPoP` header as `dpop` with `htm` and `htu`, and `dpopNonce` of each answer relayed as the
 * `DPoP-Nonce` header. The service demands nonces, so the first proof is answered `use_dpop_nonce`.
 */

let login: LoginServer;
let key: DpopKey;
beforeAll(async () => {
  login = await startLoginServer();
  await login.suite.admin.service.update({ serviceId: login.serviceId, service: { dpopNonceRequired: true } });
  key = await makeDpopKey();
});
afterAll(async () => {
  await login.suite.close();
});

const proof = (htm: string, htu: string, extra: { nonce?: string; accessToken?: string } = {}) =>
  makeDpopProof({ key, htm, htu, now: login.suite.t.clock.now, ...extra });

describe("DPoP through the SDK", () => {
  it("token.process: use_dpop_nonce with dpopNonce, then a DPoP token; introspection.process and userinfo.process check its proof", async () => {
    const { sdk, serviceId } = login;
    const { ticket, verifier } = await authorizationTicket(login);
    const issued = await sdk.authorization.issue({ serviceId, authorizationIssueRequest: issueRequest(login, ticket) });
    const parameters = { grant_type: "authorization_code", code: issued.authorizationCode!, redirect_uri: REDIRECT, code_verifier: verifier };

    const first = await sdk.token.process({ serviceId, tokenRequest: { ...tokenRequest(login, parameters), dpop: await proof("POST", `${ISSUER}/token`) } });
    expect(first.action).toBe("BAD_REQUEST");
    expect(parsed(first.responseContent).error).toBe("use_dpop_nonce");
    const nonce = first.dpopNonce!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const token = await sdk.token.process({ serviceId, tokenRequest: { ...tokenRequest(login, parameters), dpop: await proof("POST", `${ISSUER}/token`, { nonce }) } });
    expect(token.action).toBe("OK");
    expect(token.dpopNonce).toBe(nonce);
    expect(parsed(token.responseContent).token_type).toBe("DPoP");
    const accessToken = token.accessToken!;

    const resource = "https://api.example.com/history";
    const introspection = await sdk.introspection.process({
      serviceId,
      introspectionRequest: { ...introspectionRequest(accessToken), dpop: await proof("GET", resource, { nonce, accessToken }) },
    });
    expect(introspection.action).toBe("OK");
    expect(introspection.dpopNonce).toBe(nonce);
    const asBearer = await sdk.introspection.process({ serviceId, introspectionRequest: introspectionRequest(accessToken) });
    expect(asBearer.action).toBe("UNAUTHORIZED");
    expect(asBearer.responseContent).toMatch(/^DPoP error="invalid_token"/);
    expect(asBearer.dpopNonce).toBe(nonce);

    const userinfo = await sdk.userinfo.process({
      serviceId,
      userinfoRequest: { ...userinfoRequest(accessToken), dpop: await proof("GET", `${ISSUER}/userinfo`, { nonce, accessToken }) },
    });
    expect(userinfo.action).toBe("OK");
    expect(userinfo.dpopNonce).toBe(nonce);
    const withoutNonce = await sdk.userinfo.process({
      serviceId,
      userinfoRequest: { ...userinfoRequest(accessToken), dpop: await proof("GET", `${ISSUER}/userinfo`, { accessToken }) },
    });
    expect(withoutNonce.action).toBe("UNAUTHORIZED");
    expect(withoutNonce.responseContent).toMatch(/^DPoP error="use_dpop_nonce"/);
  });
});
