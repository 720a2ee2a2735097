import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JWT_BEARER_ASSERTION_TYPE } from "../../src/core/client-auth/presented-credentials.js";
import { type ApiBody, callApi } from "../helpers/app.js";
import { clientToken, form } from "../introspection/support.js";
import { type TokenFixture, basic, content, tokenFixture } from "../token/support.js";

/**
 * Issue 12 item 2 (RFC 7662 §2.1, RFC 6749 §2.3): client credentials that are present but empty are
 * a failed authentication at every endpoint that authenticates clients, never "no authentication";
 * and (also found) `clientId`/`clientSecret` arrive form-decoded and are used exactly as given.
 */
let f: TokenFixture;
let accessToken: string;
let publicAlias: string;
beforeAll(async () => {
  f = await tokenFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"] });
  const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
  accessToken = await clientToken(f, client, secret!);
  publicAlias = (await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" })).client.clientIdAlias;
});
afterAll(async () => f.t.close());

const body = (res: { body: ApiBody }) => JSON.parse(String(res.body.responseContent)) as Record<string, unknown>;

/** Every way of presenting an empty credential, as the parameters and the Basic fields of the call. */
const emptyPresentations: Array<[string, Record<string, string>, Record<string, string>]> = [
  ["client_id=", { client_id: "" }, {}],
  ["client_id= with a secret", { client_id: "", client_secret: "x" }, {}],
  ["client_secret= alone", { client_secret: "" }, {}],
  ["Basic Og== (empty id and secret)", {}, { clientId: "", clientSecret: "" }],
  ["Basic with an empty id", {}, { clientId: "", clientSecret: "some-secret" }],
  ["client_assertion=", { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: "" }, {}],
  ["client_assertion_type=", { client_assertion_type: "", client_assertion: "a.b.c" }, {}],
];

describe("present-but-empty client credentials", () => {
  it.each(emptyPresentations)("introspection/standard refuses %s with invalid_client and reveals nothing", async (_, params, basicFields) => {
    const res = await f.call("/auth/introspection/standard", { parameters: form({ token: accessToken, ...params }), ...basicFields });
    expect(res.body.action).toBe("BAD_REQUEST");
    expect(body(res)).toMatchObject({ error: "invalid_client" });
    expect(String(res.body.responseContent)).not.toContain('"active"');
  });

  it.each(emptyPresentations)("revocation refuses %s with INVALID_CLIENT and revokes nothing", async (_, params, basicFields) => {
    const res = await f.call("/auth/revocation", { parameters: form({ token: accessToken, ...params }), ...basicFields });
    expect(res.body.action).toBe("INVALID_CLIENT");
    expect(body(res)).toMatchObject({ error: "invalid_client" });
    const still = await f.call("/auth/introspection/standard", { parameters: form({ token: accessToken }) });
    expect(body(still)).toMatchObject({ active: true });
  });

  it.each(emptyPresentations)("token refuses %s with INVALID_CLIENT", async (_, params, basicFields) => {
    const res = await f.tokenCall({ grant_type: "client_credentials", ...params }, basicFields);
    expect(res.body.action).toBe("INVALID_CLIENT");
    expect(content(res.body)).toMatchObject({ error: "invalid_client" });
  });

  it("a public client that sends client_secret= presents a credential and is refused", async () => {
    const res = await f.tokenCall({ grant_type: "refresh_token", refresh_token: "x", client_id: publicAlias, client_secret: "" });
    expect(res.body.action).toBe("INVALID_CLIENT");
  });

  it("introspection without any client credential still answers (the login server protects the endpoint)", async () => {
    const res = await f.call("/auth/introspection/standard", { parameters: form({ token: accessToken }) });
    expect(body(res)).toMatchObject({ active: true });
  });

  it("an empty value still counts as a repetition: client_id=&client_id=x is invalid_request", async () => {
    const res = await f.tokenCall("grant_type=client_credentials&client_id=&client_id=x");
    expect(content(res.body)).toMatchObject({ error: "invalid_request" });
    expect(res.body.resultCode).toBe("A050301");
  });
});

describe("client credentials are used exactly as the login server passes them", () => {
  // A valid admin-chosen secret holding the characters a second form-decoding would change.
  const secret = `${randomBytes(33).toString("base64url")}+%41%2B+x`;

  it("a secret with + and % set by client/secret/update authenticates with Basic and with client_secret_post", async () => {
    const { client } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const updated = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/secret/update/${client.clientId}`, { clientSecret: secret });
    expect(updated.status).toBe(200);
    const viaBasic = await f.tokenCall({ grant_type: "client_credentials" }, basic(client.clientIdAlias, secret));
    expect(viaBasic.body.action).toBe("OK");

    const { client: postClient } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "CLIENT_SECRET_POST" });
    await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/secret/update/${postClient.clientId}`, { clientSecret: secret });
    const viaPost = await f.tokenCall({ grant_type: "client_credentials", client_id: postClient.clientIdAlias, client_secret: secret });
    expect(viaPost.body.action).toBe("OK");
  });

  it("the still-encoded form of that secret does not authenticate", async () => {
    const { client } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/secret/update/${client.clientId}`, { clientSecret: secret });
    const encoded = encodeURIComponent(secret);
    const res = await f.tokenCall({ grant_type: "client_credentials" }, basic(client.clientIdAlias, encoded));
    expect(res.body.action).toBe("INVALID_CLIENT");
  });
});
