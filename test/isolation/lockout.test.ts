import { afterAll, describe, expect, it } from "vitest";
import { type TokenFixture, basic, tokenFixture } from "../token/support.js";

/**
 * Availability across callers: can someone who is not the client stop the client from working?
 * A client_id is public (it is in every authorization URL), and a login server relays whatever its
 * public token endpoint receives. The brute-force guard counts failed client authentications per
 * client, but it must never refuse the client's correct credentials: otherwise ten requests with a
 * wrong secret, from anyone, would lock a confidential client out of the token endpoint.
 */

let f: TokenFixture;
afterAll(async () => {
  await f?.t.close();
});

describe("client lock-out by strangers", () => {
  it("wrong secrets sent by someone else do not lock the client out of its own correct secret", async () => {
    f = await tokenFixture();
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    for (let attempt = 0; attempt < 12; attempt++) {
      const wrong = await f.tokenCall({ grant_type: "client_credentials" }, basic(client.clientIdAlias, `guess-${attempt}`));
      expect(wrong.body.action).toBe("INVALID_CLIENT");
    }
    const genuine = await f.tokenCall({ grant_type: "client_credentials" }, basic(client.clientIdAlias, secret!));
    expect(genuine.body.action).toBe("OK");
  });
});
