import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserAgent } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * Rich authorization requests (RFC 9396) as a relying party (oauth4webapi) and a resource server
 * see them, through the reference login server in front of Tessera: `authorization_details` in the
 * authorization request, the granted details in the token response, the JWT access token and the
 * introspection response, narrowed on refresh; an unknown type and a widening refused.
 */

const PAYMENT = {
  type: "payment_initiation",
  actions: ["initiate", "status"],
  locations: ["https://bank.example.com/payments"],
  instructedAmount: { currency: "EUR", amount: "123.50" },
  creditorName: "Merchant A",
};
const STATUS_ONLY = { ...PAYMENT, actions: ["status"] };

let stack: Stack;
let as: oauth.AuthorizationServer;
let client: oauth.Client;
let clientAuth: oauth.ClientAuth;

beforeAll(async () => {
  stack = await startStack();
  await stack.admin.POST("/api/{serviceId}/service/update", {
    params: { path: { serviceId: stack.serviceId } },
    body: { supportedAuthorizationDetailsTypes: ["payment_initiation"], accessTokenSignAlg: "ES256" },
  });
  as = await discover(stack);
  client = { client_id: stack.client.clientIdAlias! };
  clientAuth = oauth.ClientSecretBasic(stack.clientSecret);
});
afterAll(() => stack?.close());

async function authorizationUrl(details: unknown[], browserState = oauth.generateRandomState()) {
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: stack.redirectUri,
    response_type: "code",
    scope: "openid offline_access",
    state: browserState,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    authorization_details: JSON.stringify(details),
  }).toString();
  return { url, state: browserState, verifier };
}

/** Logs in and consents through the HTML pages when they are shown; answers the redirect to the client. */
async function redirectAfterConsent(browser: BrowserAgent, url: URL): Promise<URL> {
  let page = await browser.request(url);
  const steps: Record<string, string>[] = [{ username: stack.user.username, password: stack.user.password, decision: "login" }, { decision: "allow" }];
  for (const fields of steps) {
    if (page.status === 302) break;
    expect(page.status).toBe(200);
    page = await browser.submit(await page.text(), stack.issuer, fields);
  }
  expect(page.status).toBe(302);
  return new URL(page.headers.get("location")!);
}

describe("rich authorization requests, end to end", () => {
  const browser = new BrowserAgent();
  let tokens: oauth.TokenEndpointResponse;

  it("discovery publishes the supported types", () => {
    expect(as.authorization_details_types_supported).toEqual(["payment_initiation"]);
  });

  it("the token response carries the granted details, and so do the JWT access token and introspection", async () => {
    const started = await authorizationUrl([PAYMENT]);
    const callback = await redirectAfterConsent(browser, started.url);
    const params = oauth.validateAuthResponse(as, client, callback, started.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, stack.redirectUri, started.verifier, http);
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    expect(tokens.authorization_details).toEqual([PAYMENT]);

    // A resource server validates the JWT access token (RFC 9068) and reads its details.
    const request = new Request("https://bank.example.com/payments", { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, client.client_id, http);
    expect(claims.authorization_details).toEqual([PAYMENT]);

    const introspected = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, clientAuth, tokens.access_token, http));
    expect(introspected).toMatchObject({ active: true, authorization_details: [PAYMENT] });
  });

  it("a refresh narrows the access token's details and keeps the grant's for the next one", async () => {
    const narrowing = { ...http, additionalParameters: { authorization_details: JSON.stringify([STATUS_ONLY]) } };
    const narrowed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, narrowing));
    expect(narrowed.authorization_details).toEqual([STATUS_ONLY]);

    const widening = { ...http, additionalParameters: { authorization_details: JSON.stringify([{ ...PAYMENT, actions: ["initiate", "status", "cancel"] }]) } };
    const refused = await oauth
      .processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, narrowed.refresh_token!, widening))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(oauth.ResponseBodyError);
    expect((refused as oauth.ResponseBodyError).error).toBe("invalid_authorization_details");

    const whole = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, narrowed.refresh_token!, http));
    expect(whole.authorization_details).toEqual([PAYMENT]);
  });

  it("an unknown type is refused to the client with invalid_authorization_details", async () => {
    const started = await authorizationUrl([{ type: "wire_transfer", amount: "1000000" }]);
    const page = await browser.request(started.url);
    expect(page.status).toBe(302);
    const refused = (() => {
      try {
        return oauth.validateAuthResponse(as, client, new URL(page.headers.get("location")!), started.state);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(oauth.AuthorizationResponseError);
    expect((refused as oauth.AuthorizationResponseError).error).toBe("invalid_authorization_details");
  });
});
