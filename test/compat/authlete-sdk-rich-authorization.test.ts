import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pkcePair } from "../token/support.js";
import {
  authorizationRequest,
  form,
  introspectionRequest,
  issueRequest,
  type LoginServer,
  parsed,
  REDIRECT,
  standardIntrospectionRequest,
  startLoginServer,
  tokenRequest,
} from "./authlete-sdk-suite-login-server.js";

/**
 * Rich authorization requests (RFC 9396) through `@authlete/typescript-sdk`, as a login server written
 * for Authlete handles them: the SDK reads `authorizationDetails` from every answer that has them
 * (authorization, token, introspection) and sends a replacement to /issue in its own element shape.
 */

const PAYMENT = {
  type: "payment_initiation",
  actions: ["initiate"],
  locations: ["https://bank.example.com/payments"],
  instructedAmount: { currency: "EUR", amount: "123.50" },
};

let login: LoginServer;
beforeAll(async () => {
  login = await startLoginServer();
  await login.suite.admin.service.update({ serviceId: login.serviceId, service: { supportedAuthorizationDetailsTypes: ["payment_initiation"] } });
});
afterAll(async () => {
  await login.suite.close();
});

describe("authorization details through the SDK", () => {
  it("process → issue with a replacement → token → introspection: every answer carries the details the SDK can read", async () => {
    const { sdk, serviceId } = login;
    const { verifier, challenge } = pkcePair();
    const request = authorizationRequest(challenge, { authorization_details: JSON.stringify([PAYMENT]) });
    const answer = await sdk.authorization.processRequest({ serviceId, authorizationRequest: request });
    expect(answer.action).toBe("INTERACTION");
    const [element] = answer.authorizationDetails?.elements ?? [];
    expect(element).toMatchObject({ type: "payment_initiation", actions: ["initiate"], locations: PAYMENT.locations });
    expect(JSON.parse(element!.otherFields!)).toEqual({ instructedAmount: PAYMENT.instructedAmount });

    // The user picked the account to pay from: the login server enriches the element it shows.
    const granted = { ...element!, otherFields: JSON.stringify({ instructedAmount: PAYMENT.instructedAmount, debtorAccount: { iban: "DE40100100103307118608" } }) };
    const issued = await sdk.authorization.issue({
      serviceId,
      authorizationIssueRequest: { ...issueRequest(login, answer.ticket!), authorizationDetails: { elements: [granted] } },
    });
    expect(issued.action).toBe("LOCATION");

    const parameters = { grant_type: "authorization_code", code: issued.authorizationCode!, redirect_uri: REDIRECT, code_verifier: verifier };
    const token = await sdk.token.process({ serviceId, tokenRequest: tokenRequest(login, parameters) });
    expect(token.action).toBe("OK");
    expect(token.authorizationDetails?.elements).toEqual([granted]);
    expect(parsed(token.responseContent).authorization_details).toEqual([{ ...PAYMENT, debtorAccount: { iban: "DE40100100103307118608" } }]);

    const introspection = await sdk.introspection.process({ serviceId, introspectionRequest: { ...introspectionRequest(token.accessToken!), resources: [] } });
    expect(introspection.action).toBe("OK");
    expect(introspection.authorizationDetails?.elements).toEqual([granted]);
    const standard = await sdk.introspection.standardProcess({
      serviceId,
      standardIntrospectionRequest: { ...standardIntrospectionRequest(token.accessToken!), rsUri: "", parameters: form({ token: token.accessToken! }) },
    });
    expect(parsed(standard.responseContent).authorization_details).toEqual([{ ...PAYMENT, debtorAccount: { iban: "DE40100100103307118608" } }]);

    const refreshed = await sdk.token.process({
      serviceId,
      tokenRequest: tokenRequest(login, { grant_type: "refresh_token", refresh_token: token.refreshToken!, authorization_details: JSON.stringify([{ type: "wire_transfer" }]) }),
    });
    expect(refreshed.action).toBe("BAD_REQUEST");
    expect(parsed(refreshed.responseContent)).toMatchObject({ error: "invalid_authorization_details" });
  });
});
