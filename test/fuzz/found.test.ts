import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userTokens } from "../introspection/support.js";
import { type TokenFixture, tokenFixture } from "../token/support.js";

/** Inputs that deep fuzz runs (`npm run fuzz`) found, kept as fixed cases. */

let f: TokenFixture;
let accessToken: string;

beforeAll(async () => {
  f = await tokenFixture();
  const { client, secret } = await f.client();
  accessToken = (await userTokens(f, client, secret)).accessToken;
});
afterAll(async () => {
  await f.t.close();
});

describe("found by fuzzing", () => {
  // Seed 286636884: /auth/userinfo/issue took any 1–200 characters as `sub` (control characters and
  // markup included), while the ID token's `sub` is 1–100 printable ASCII characters and the two must
  // be equal (OIDC Core §5.3.2).
  // An empty `sub` is read as absent, as Authlete reads it (SDK users default strings to ""): see userinfo tests.
  it.each(["</form><form action=//evil>`g\u0005Eu~HXf", "a b", "x".repeat(101)])("/auth/userinfo/issue refuses sub %j with 400", async (sub) => {
    const answer = await f.call("/auth/userinfo/issue", { token: accessToken, sub });
    expect(answer.status).toBe(400);
    expect(answer.body.resultCode).toBe("A000204");
  });

  it("/auth/userinfo/issue still takes a printable ASCII sub", async () => {
    const answer = await f.call("/auth/userinfo/issue", { token: accessToken, sub: "user-42" });
    expect(answer.body.action).toBe("JSON");
    expect(JSON.parse(String(answer.body.responseContent)).sub).toBe("user-42");
  });
});
