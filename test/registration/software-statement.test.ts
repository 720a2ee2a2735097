import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "../helpers/app.js";
import { type TokenFixture, tokenFixture } from "../token/support.js";

/**
 * Software statements (RFC 7591 §2.3) on /client/registration and /update: a statement signed by one
 * of the service's trusted issuers (a key this test makes) is verified and its claims win over the
 * request's; every other statement is refused with invalid_software_statement and its own result code.
 */
const PUBLISHER = "https://publisher.example.com";
const REGISTRATION_ENDPOINT = "https://as.example.com/register";

let f: TokenFixture;
let publisherKey: CryptoKey;
let strangerKey: CryptoKey;

const request = {
  redirect_uris: ["https://app.example.com/cb"],
  client_name: "Name the client chose",
  software_id: "self-declared",
  grant_types: ["authorization_code"],
};

interface Answer {
  action: string;
  json: Record<string, unknown>;
  client?: Record<string, unknown>;
}

async function call(path: string, body: Record<string, unknown>): Promise<Answer> {
  const res = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/client/registration${path}`, body);
  expect(res.status).toBe(200);
  const raw = res.body.responseContent;
  return { action: String(res.body.action), json: typeof raw === "string" ? JSON.parse(raw) : {}, client: res.body.client as Record<string, unknown> | undefined };
}
const register = (metadata: Record<string, unknown>) => call("", { json: JSON.stringify(metadata) });

interface StatementOptions {
  claims?: JWTPayload;
  key?: CryptoKey;
  issuer?: string;
  audience?: string | null;
  expiresIn?: number | null;
}

async function statement({ claims = {}, key = publisherKey, issuer = PUBLISHER, audience = f.service.issuer, expiresIn = 300 }: StatementOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ software_id: "vouched-app", client_name: "Name the publisher vouched for", ...claims })
    .setProtectedHeader({ alg: "ES256", kid: "publisher-1" })
    .setIssuer(issuer)
    .setIssuedAt(now);
  if (audience !== null) jwt.setAudience(audience);
  if (expiresIn !== null) jwt.setExpirationTime(now + expiresIn);
  return jwt.sign(key);
}

/** The error and the result code at the head of its description. */
const refusalOf = (answer: Answer) => ({ action: answer.action, error: answer.json.error, code: String(answer.json.error_description).slice(1, 8) });

beforeAll(async () => {
  const publisher = await generateKeyPair("ES256");
  publisherKey = publisher.privateKey;
  strangerKey = (await generateKeyPair("ES256")).privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publisher.publicKey)), kid: "publisher-1", alg: "ES256" }] });
  f = await tokenFixture({
    dynamicRegistrationSupported: true,
    unauthorizedOnClientConfigSupported: true,
    registrationEndpoint: REGISTRATION_ENDPOINT,
    trustedIssuers: [{ issuer: PUBLISHER, jwks }],
  });
}, 60_000);
afterAll(async () => f?.t.close());

describe("software statements (RFC 7591 section 2.3)", () => {
  it("verifies a statement of a trusted issuer: its claims win over the request's, the JWT's own claims are not metadata, and it is answered back", async () => {
    const software = await statement({ claims: { software_version: "3.0", contacts: ["publisher@example.com"] } });
    const answer = await register({ ...request, software_statement: software });
    expect(answer.action, JSON.stringify(answer.json)).toBe("CREATED");
    expect(answer.json).toMatchObject({
      client_name: "Name the publisher vouched for",
      software_id: "vouched-app",
      software_version: "3.0",
      contacts: ["publisher@example.com"],
      redirect_uris: request.redirect_uris,
      software_statement: software,
    });
    expect(answer.json.iss).toBeUndefined();
    expect(answer.client).toMatchObject({ clientName: "Name the publisher vouched for", softwareId: "vouched-app", dynamicallyRegistered: true });
  });

  it("accepts a statement addressed to the registration endpoint", async () => {
    const answer = await register({ ...request, software_statement: await statement({ audience: REGISTRATION_ENDPOINT }) });
    expect(answer.action, JSON.stringify(answer.json)).toBe("CREATED");
  });

  it("accepts a statement without exp or aud, which RFC 7591 section 2.3 leaves optional", async () => {
    for (const software of [await statement({ expiresIn: null }), await statement({ audience: null })]) {
      const answer = await register({ ...request, software_statement: software });
      expect(answer.action, JSON.stringify(answer.json)).toBe("CREATED");
      expect(answer.json).toMatchObject({ software_id: "vouched-app" });
    }
  });

  it("applies a statement sent with an update (RFC 7592 section 2.2)", async () => {
    const created = await register(request);
    const call_ = { clientId: String(created.json.client_id), token: String(created.json.registration_access_token) };
    const updated = await call("/update", { ...call_, json: JSON.stringify({ ...request, software_statement: await statement() }) });
    expect(updated.action, JSON.stringify(updated.json)).toBe("UPDATED");
    expect(updated.json).toMatchObject({ client_name: "Name the publisher vouched for", software_id: "vouched-app" });
    const refused = await call("/update", { ...call_, json: JSON.stringify({ ...request, software_statement: await statement({ key: strangerKey }) }) });
    expect(refusalOf(refused)).toEqual({ action: "BAD_REQUEST", error: "invalid_software_statement", code: "A360310" });
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ["an issuer the service does not trust", () => statement({ issuer: "https://elsewhere.example.com", key: strangerKey }), "A360308"],
    ["a signature by another key than the issuer's", () => statement({ key: strangerKey }), "A360310"],
    ["an expired statement", () => statement({ expiresIn: -3600 }), "A360311"],
    ["a statement addressed to another server", () => statement({ audience: "https://other-as.example.com" }), "A360312"],
    ["an unsigned statement (alg none)", async () => new UnsecuredJWT({ software_id: "x" }).setIssuer(PUBLISHER).setAudience(f.service.issuer).setExpirationTime("5m").encode(), "A360304"],
    ["a value that is no JWT", async () => "not-a-jwt", "A360304"],
    ["a value that is no string", async () => ({ software_id: "x" }), "A360304"],
  ])("refuses %s: invalid_software_statement, and registers nothing", async (_, make, code) => {
    const answer = await register({ ...request, software_statement: await make() });
    expect(refusalOf(answer)).toEqual({ action: "BAD_REQUEST", error: "invalid_software_statement", code });
    expect(answer.client).toBeUndefined();
  });
});
