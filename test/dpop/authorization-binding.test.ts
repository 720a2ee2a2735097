import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redirectParams } from "../authorization/support.js";
import { authorize, push, pushedParameters } from "../authorization/pushed-authorization-support.js";
import type { ApiBody } from "../helpers/app.js";
import { type DpopKey, makeDpopKey } from "../helpers/dpop-proof.js";
import { REDIRECT, type TokenFixture, basic, content, pkcePair } from "../token/support.js";
import { PAR_URL, dpopFixture, errorOf, proofFor } from "./binding-support.js";

/**
 * RFC 9449 §10 (`dpop_jkt`) at the authorization endpoint and at PAR, and §5.2 (`dpopRequired`) for
 * access tokens the authorization endpoint would issue: catalogue SEC-111, SEC-112, SEC-113.
 */

let f: TokenFixture;
let key: DpopKey;
let otherKey: DpopKey;
beforeAll(async () => {
  f = await dpopFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "IMPLICIT"] });
  [key, otherKey] = await Promise.all([makeDpopKey(), makeDpopKey("PS256")]);
});
afterAll(async () => f.t.close());

async function confidentialClient(settings: Record<string, unknown> = {}) {
  const { client, secret } = await f.client(settings);
  return { client, creds: basic(client.clientIdAlias, secret!) };
}

/** Redeems `code` at the token endpoint with `extra` (a proof…). */
function redeem(code: string, creds: Record<string, unknown>, verifier?: string, extra: Record<string, unknown> = {}) {
  return f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...(verifier ? { code_verifier: verifier } : {}) }, { ...creds, ...extra });
}

/** A LOCATION error to the client with its OAuth error and result code. */
function expectRedirectedError(body: ApiBody, error: string, resultCode: string, part: "query" | "fragment" = "query"): void {
  expect(body.action).toBe("LOCATION");
  expect(body.resultCode).toBe(resultCode);
  const params = redirectParams(String(body.responseContent), part);
  expect(params.get("error")).toBe(error);
  expect(params.get("error_description")).toContain(`[${resultCode}]`);
}

describe("dpop_jkt at the authorization endpoint (RFC 9449 §10)", () => {
  it("binds the code to the named key: redeemed only with a proof of that key (SEC-112)", async () => {
    const { client, creds } = await confidentialClient();
    const refused = await redeem(await f.code(client, { dpop_jkt: key.jkt }), creds, undefined, { dpop: await proofFor(f, otherKey) });
    expect(refused.body.action).toBe("BAD_REQUEST");
    expect(errorOf(refused.body)).toBe("invalid_grant");
    expect(refused.body.resultCode).toBe("A050361");

    const withoutProof = await redeem(await f.code(client, { dpop_jkt: key.jkt }), creds);
    expect(errorOf(withoutProof.body)).toBe("invalid_grant");
    expect(withoutProof.body.resultCode).toBe("A050361");

    const good = await redeem(await f.code(client, { dpop_jkt: key.jkt }), creds, undefined, { dpop: await proofFor(f, key) });
    expect(good.body.action).toBe("OK");
    expect(content(good.body).token_type).toBe("DPoP");
  });

  it("refuses a dpop_jkt that is not a SHA-256 thumbprint with invalid_request", async () => {
    const { client } = await confidentialClient();
    for (const value of ["short", `${key.jkt}=`, `${key.jkt.slice(0, 42)}+`]) {
      const body = await authorize(f, { client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid", dpop_jkt: value });
      expectRedirectedError(body, "invalid_request", "A004343");
    }
  });

  it("keeps a code without dpop_jkt redeemable by a Bearer request", async () => {
    const { client, creds } = await confidentialClient();
    const res = await redeem(await f.code(client), creds);
    expect(content(res.body).token_type).toBe("Bearer");
  });
});

describe("dpopRequired and the authorization endpoint (RFC 9449 §5.2, SEC-111)", () => {
  it("refuses response types that issue an access token from the authorization endpoint, and serves code", async () => {
    const { client } = await confidentialClient({
      dpopRequired: true,
      grantTypes: ["AUTHORIZATION_CODE", "IMPLICIT"],
      responseTypes: ["CODE", "TOKEN", "CODE_TOKEN", "ID_TOKEN"],
    });
    for (const responseType of ["token", "code token"]) {
      const body = await authorize(f, { client_id: client.clientIdAlias, response_type: responseType, redirect_uri: REDIRECT, scope: "openid", nonce: "n" });
      expectRedirectedError(body, "unauthorized_client", "A004344", "fragment");
    }
    const idToken = await authorize(f, { client_id: client.clientIdAlias, response_type: "id_token", redirect_uri: REDIRECT, scope: "openid", nonce: "n" });
    expect(idToken.action).toBe("INTERACTION");
    const code = await authorize(f, { client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid" });
    expect(code.action).toBe("INTERACTION");
  });

  it("refuses them at PAR too, as JSON", async () => {
    const { client, creds } = await confidentialClient({ dpopRequired: true, grantTypes: ["AUTHORIZATION_CODE", "IMPLICIT"], responseTypes: ["CODE", "CODE_TOKEN"] });
    const answer = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge, { response_type: "code token" }), creds);
    expect(answer.body.action).toBe("BAD_REQUEST");
    expect(answer.body.resultCode).toBe("A004344");
    expect(errorOf(answer.body)).toBe("unauthorized_client");
  });
});

describe("DPoP at the PAR endpoint (RFC 9449 §10.1)", () => {
  /** Pushes, authorizes through the request_uri and issues: the code of the pushed request. */
  async function codeThroughPar(extraParameters: Record<string, string>, extra: Record<string, unknown>) {
    const { client, creds } = await confidentialClient();
    const { verifier, challenge } = pkcePair();
    const pushed = await push(f, pushedParameters(client.clientIdAlias, challenge, extraParameters), { ...creds, ...extra });
    expect(pushed.body.action).toBe("CREATED");
    const authorized = await authorize(f, { client_id: client.clientIdAlias, request_uri: String(pushed.body.requestUri) });
    expect(authorized.action).toBe("INTERACTION");
    const issued = await f.call("/auth/authorization/issue", { ticket: authorized.ticket, subject: "alice" });
    return { creds, verifier, code: String(issued.body.authorizationCode) };
  }

  it("binds the code to the PAR proof's key when no dpop_jkt was sent (SEC-112)", async () => {
    const par = await codeThroughPar({}, { dpop: await proofFor(f, key, { htu: PAR_URL }) });
    const other = await redeem(par.code, par.creds, par.verifier, { dpop: await proofFor(f, otherKey) });
    expect(errorOf(other.body)).toBe("invalid_grant");
    expect(other.body.resultCode).toBe("A050361");
    const again = await codeThroughPar({}, { dpop: await proofFor(f, key, { htu: PAR_URL }) });
    const good = await redeem(again.code, again.creds, again.verifier, { dpop: await proofFor(f, key) });
    expect(good.body.action).toBe("OK");
    expect(content(good.body).token_type).toBe("DPoP");
  });

  it("keeps a pushed dpop_jkt without a proof, and accepts one equal to the proof's", async () => {
    const named = await codeThroughPar({ dpop_jkt: key.jkt }, {});
    expect((await redeem(named.code, named.creds, named.verifier)).body.resultCode).toBe("A050361");
    const same = await codeThroughPar({ dpop_jkt: key.jkt }, { dpop: await proofFor(f, key, { htu: PAR_URL }) });
    expect((await redeem(same.code, same.creds, same.verifier, { dpop: await proofFor(f, key) })).body.action).toBe("OK");
  });

  it("refuses a dpop_jkt other than the proof's key with 400 invalid_dpop_proof", async () => {
    const { client, creds } = await confidentialClient();
    const answer = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge, { dpop_jkt: otherKey.jkt }), {
      ...creds,
      dpop: await proofFor(f, key, { htu: PAR_URL }),
    });
    expect(answer.body.action).toBe("BAD_REQUEST");
    expect(answer.body.resultCode).toBe("A245310");
    expect(errorOf(answer.body)).toBe("invalid_dpop_proof");
  });

  it("refuses a proof made for the token endpoint (SEC-113) and a bad one with invalid_dpop_proof", async () => {
    const { client, creds } = await confidentialClient();
    const tokenProof = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge), { ...creds, dpop: await proofFor(f, key) });
    expect(tokenProof.body.action).toBe("BAD_REQUEST");
    expect(tokenProof.body.resultCode).toBe("A330303");
    expect(errorOf(tokenProof.body)).toBe("invalid_dpop_proof");
    const garbage = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge), { ...creds, dpop: "a.b" });
    expect(errorOf(garbage.body)).toBe("invalid_dpop_proof");
  });

  it("answers use_dpop_nonce with the nonce while nonces are demanded, and carries it on CREATED", async () => {
    const { client, creds } = await confidentialClient();
    const first = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge), {
      ...creds,
      dpop: await proofFor(f, key, { htu: PAR_URL }),
      dpopNonceRequired: true,
    });
    expect(first.body.action).toBe("BAD_REQUEST");
    expect(errorOf(first.body)).toBe("use_dpop_nonce");
    const nonce = String(first.body.dpopNonce);
    const retry = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge), {
      ...creds,
      dpop: await proofFor(f, key, { htu: PAR_URL, nonce }),
      dpopNonceRequired: true,
    });
    expect(retry.body.action).toBe("CREATED");
    expect(retry.body.dpopNonce).toBe(nonce);
  });

  it("fails the call when a proof comes and the service has no pushedAuthReqEndpoint nor the request htu", async () => {
    const bare = await dpopFixture({ pushedAuthReqEndpoint: null });
    try {
      const { client, secret } = await bare.client();
      const answer = await push(bare, pushedParameters(client.clientIdAlias, pkcePair().challenge), {
        ...basic(client.clientIdAlias, secret!),
        dpop: await proofFor(bare, key, { htu: PAR_URL }),
      });
      expect(answer.status).toBe(400);
      expect(answer.body.resultCode).toBe("A000211");
      expect(String(answer.body.resultMessage)).toContain("pushedAuthReqEndpoint");
    } finally {
      await bare.t.close();
    }
  });
});
