import type { Authlete } from "@authlete/typescript-sdk";
import { JoseVerifyResponse$inboundSchema, type JoseVerifyRequest } from "@authlete/typescript-sdk/models";
import * as errors from "@authlete/typescript-sdk/models/errors";
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * /jose/verify through `@authlete/typescript-sdk` (`joseObject.joseVerifyApi`) with every request
 * field: a valid JWS, an invalid one and a malformed one answer 200 and the SDK's schema accepts
 * each; an unknown client is a 400 the SDK raises as its ResultError.
 */
const joseVerify = facts.operations.find((operation) => operation.path === "/api/{serviceId}/jose/verify")!;

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
let privateKey: CryptoKey;
const nowS = () => Math.floor(suite.t.clock.now / 1000);

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({ serviceName: "jose", issuer: "https://jose.example" });
  serviceId = String(service.apiKey);
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" }] });
  await suite.admin.client.create({ serviceId, client: { clientIdAlias: "signer", clientName: "signer", jwks, redirectUris: ["https://c.example/cb"] } });
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
});
afterAll(async () => {
  await suite.close();
});

const signed = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(privateKey);

describe("/jose/verify through the SDK", () => {
  it("sends every field of Authlete's request", () => {
    const request: Required<JoseVerifyRequest> = { jose: "", mandatoryClaims: [], clockSkew: 0, clientIdentifier: "", signedByClient: true };
    expect(Object.keys(request).sort()).toEqual([...joseVerify.requestFields].sort());
  });

  it("joseObject.joseVerifyApi: valid, and the SDK's schema accepts the answer", async () => {
    const request: Required<JoseVerifyRequest> = { jose: await signed({ sub: "s", exp: nowS() + 60 }), mandatoryClaims: ["sub"], clockSkew: 10, clientIdentifier: "signer", signedByClient: true };
    const answer = await sdk.joseObject.joseVerifyApi({ serviceId, joseVerifyRequest: request });
    expect(answer).toMatchObject({ resultCode: "A160001", valid: true, signatureValid: true });
    expect(JoseVerifyResponse$inboundSchema.safeParse(answer).success).toBe(true);
  });

  it("joseObject.joseVerifyApi: invalid claims and a malformed JOSE are answers the SDK accepts", async () => {
    const expired = await sdk.joseObject.joseVerifyApi({
      serviceId,
      joseVerifyRequest: { jose: await signed({ exp: nowS() - 60 }), mandatoryClaims: ["sub"], clientIdentifier: "signer", signedByClient: true },
    });
    expect(expired).toMatchObject({ resultCode: "A160306", valid: false, signatureValid: true, missingClaims: ["sub"], invalidClaims: ["exp"] });
    expect(JoseVerifyResponse$inboundSchema.safeParse(expired).success).toBe(true);
    const malformed = await sdk.joseObject.joseVerifyApi({ serviceId, joseVerifyRequest: { jose: "not-a-jose" } });
    expect(malformed).toMatchObject({ resultCode: "A160301", valid: false, signatureValid: false });
    expect(malformed.errorDescriptions).toHaveLength(1);
  });

  it("joseObject.joseVerifyApi: an unknown client is a 400 the SDK raises as ResultError", async () => {
    const failure = await sdk.joseObject
      .joseVerifyApi({ serviceId, joseVerifyRequest: { jose: await signed({}), clientIdentifier: "nobody", signedByClient: true } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errors.ResultError);
    expect((failure as errors.ResultError).resultCode).toBe("A160202");
  });

  it("drove /jose/verify through the SDK with its success and its errors", () => {
    expectPartCovered(suite, "jose-verify");
  });
});
