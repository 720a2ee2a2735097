import { createHash, randomBytes, randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair } from "jose";

/**
 * One full working day of a Tessera deployment, driven over HTTP against a running server, that
 * collects every secret value it sees: the admin and service API tokens, client secrets (basic,
 * client_secret_jwt, refreshed and chosen ones), client assertions, tickets, authorization codes,
 * PKCE verifiers, access, refresh and ID tokens, the resource owner's password, and wrong
 * credentials presented by mistake (a near miss of a real secret is a secret too).
 */

export interface CollectedSecret {
  what: string;
  value: string;
}

const REDIRECT = "https://client.example.com/callback";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export async function runFullFlow(baseUrl: string, adminToken: string): Promise<{ serviceId: number; secrets: CollectedSecret[] }> {
  const secrets: CollectedSecret[] = [{ what: "admin token", value: adminToken }];
  const keep = (what: string, value: unknown): string => {
    if (typeof value !== "string" || value === "") throw new Error(`the flow expected a ${what}, got ${JSON.stringify(value)}`);
    secrets.push({ what, value });
    return value;
  };
  const post = async (token: string, path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const get = async (token: string, path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return (await response.json()) as Record<string, unknown>;
  };

  const service = await post(adminToken, "/api/service/create", {
    serviceName: "Secrets",
    issuer: "https://secrets.example",
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"],
  });
  const serviceId = Number(service.apiKey);
  const api = keep("service API token", (await post(adminToken, `/api/${serviceId}/apitoken/create`, { permissions: ["USE_SERVICE"] })).accessToken);
  keep("second API token", (await post(adminToken, `/api/${serviceId}/apitoken/create`, { permissions: ["VIEW_CLIENT"] })).accessToken);
  const call = (path: string, body: unknown) => post(api, `/api/${serviceId}${path}`, body);

  // Clients of every authentication method.
  const web = await post(adminToken, `/api/${serviceId}/client/create`, {
    clientName: "Web",
    clientIdAlias: "web",
    redirectUris: [REDIRECT],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"],
  });
  let webSecret = keep("client_secret_basic secret", web.clientSecret);
  const hmac = await post(adminToken, `/api/${serviceId}/client/create`, {
    clientName: "HMAC",
    clientIdAlias: "hmac",
    redirectUris: [REDIRECT],
    grantTypes: ["CLIENT_CREDENTIALS"],
    tokenAuthMethod: "CLIENT_SECRET_JWT",
    tokenAuthSignAlg: "HS256",
  });
  const hmacSecret = keep("client_secret_jwt secret", hmac.clientSecret);
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  await post(adminToken, `/api/${serviceId}/client/create`, {
    clientName: "Keys",
    clientIdAlias: "keys",
    redirectUris: [REDIRECT],
    grantTypes: ["CLIENT_CREDENTIALS"],
    tokenAuthMethod: "PRIVATE_KEY_JWT",
    tokenAuthSignAlg: "ES256",
    jwks: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" }] }),
  });
  await post(adminToken, `/api/${serviceId}/client/create`, {
    clientName: "SPA",
    clientIdAlias: "spa",
    clientType: "PUBLIC",
    tokenAuthMethod: "NONE",
    redirectUris: [REDIRECT],
  });
  const basic = () => ({ clientId: "web", clientSecret: webSecret });

  // Authorization code flow with PKCE, then refresh.
  const verifier = keep("PKCE verifier", randomBytes(32).toString("base64url"));
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const authorized = await call("/auth/authorization", {
    parameters: new URLSearchParams({ client_id: "web", response_type: "code", redirect_uri: REDIRECT, scope: "openid profile", nonce: "n-1", state: "st", code_challenge: challenge, code_challenge_method: "S256" }).toString(),
  });
  const ticket = keep("authorization ticket", authorized.ticket);
  const issued = await call("/auth/authorization/issue", { ticket, subject: "alice", claims: JSON.stringify({ name: "Alice" }) });
  const code = keep("authorization code", issued.authorizationCode);
  const tokens = await call("/auth/token", { parameters: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT)}&code_verifier=${verifier}`, ...basic() });
  const accessToken = keep("access token", tokens.accessToken);
  const refreshToken = keep("refresh token", tokens.refreshToken);
  keep("ID token", tokens.idToken);
  const refreshed = await call("/auth/token", { parameters: `grant_type=refresh_token&refresh_token=${refreshToken}`, ...basic() });
  const newAccess = keep("refreshed access token", refreshed.accessToken);
  const newRefresh = keep("rotated refresh token", refreshed.refreshToken);
  if (typeof refreshed.idToken === "string") keep("refreshed ID token", refreshed.idToken);

  // Mistakes that get logged as failures: a replayed code, a reused refresh token, a wrong secret.
  await call("/auth/token", { parameters: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT)}&code_verifier=${verifier}`, ...basic() });
  await call("/auth/token", { parameters: `grant_type=refresh_token&refresh_token=${refreshToken}`, ...basic() });
  const wrong = keep("wrong client secret", `${webSecret.slice(0, -4)}oops`);
  await call("/auth/token", { parameters: "grant_type=client_credentials", clientId: "web", clientSecret: wrong });
  await call("/auth/token", { parameters: `grant_type=client_credentials&client_id=web&client_secret=${encodeURIComponent(wrong)}` });

  // Client credentials with both JWT client authentications.
  const now = Math.floor(Date.now() / 1000);
  const claims = (alias: string) => ({ iss: alias, sub: alias, aud: "https://secrets.example", iat: now, exp: now + 60, jti: randomUUID() });
  const hmacAssertion = keep("client_secret_jwt assertion", await new SignJWT(claims("hmac")).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(hmacSecret)));
  const keyAssertion = keep("private_key_jwt assertion", await new SignJWT(claims("keys")).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(privateKey));
  for (const assertion of [hmacAssertion, keyAssertion]) {
    const answer = await call("/auth/token", { parameters: `grant_type=client_credentials&client_assertion_type=${encodeURIComponent(JWT_BEARER)}&client_assertion=${assertion}` });
    keep("client credentials access token", answer.accessToken);
    // The same assertion again: refused as a replayed jti, and logged as a failure.
    await call("/auth/token", { parameters: `grant_type=client_credentials&client_assertion_type=${encodeURIComponent(JWT_BEARER)}&client_assertion=${assertion}` });
  }

  // Password grant: the resource owner's password goes through Tessera to the login server.
  const password = keep("resource owner password", `pw-${randomBytes(12).toString("base64url")}`);
  const asked = await call("/auth/token", { parameters: `grant_type=password&username=alice&password=${password}`, ...basic() });
  const passwordTicket = keep("password ticket", asked.ticket);
  const passwordTokens = await call("/auth/token/issue", { ticket: passwordTicket, subject: "alice" });
  keep("password grant access token", passwordTokens.accessToken);
  keep("password grant refresh token", passwordTokens.refreshToken);
  const failing = await call("/auth/token", { parameters: `grant_type=password&username=bob&password=${password}x`, ...basic() });
  keep("failed login password", `${password}x`);
  await call("/auth/token/fail", { ticket: keep("failed password ticket", failing.ticket), reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" });

  // Resource-server and userinfo calls, revocation.
  await call("/auth/introspection", { token: newAccess });
  await call("/auth/introspection/standard", { parameters: `token=${newAccess}` });
  await call("/auth/userinfo", { token: newAccess });
  await call("/auth/userinfo/issue", { token: newAccess, claims: JSON.stringify({ name: "Alice" }) });
  await call("/auth/revocation", { parameters: `token=${newRefresh}`, ...basic() });
  await call("/auth/introspection", { token: accessToken });

  // Secret rotation by the admin.
  webSecret = keep("refreshed client secret", (await get(adminToken, `/api/${serviceId}/client/secret/refresh/web`)).newClientSecret);
  const chosen = keep("chosen client secret", randomBytes(40).toString("base64url"));
  await post(adminToken, `/api/${serviceId}/client/secret/update/hmac`, { clientSecret: chosen });

  // A cancelled authorization: its ticket, spent through /fail.
  const cancelled = await call("/auth/authorization", {
    parameters: new URLSearchParams({ client_id: "web", response_type: "code", redirect_uri: REDIRECT, scope: "openid", code_challenge: challenge, code_challenge_method: "S256" }).toString(),
  });
  await call("/auth/authorization/fail", { ticket: keep("failed authorization ticket", cancelled.ticket), reason: "DENIED" });

  // Key rotation: new private keys.
  await post(adminToken, `/api/${serviceId}/service/keys/rotate`, {});
  return { serviceId, secrets };
}
