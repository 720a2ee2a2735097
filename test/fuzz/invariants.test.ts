import { describe, expect, it } from "vitest";
import { formPostPage } from "../../src/core/authorization/form-post.js";
import { type Answer, answerViolations, htmlViolations, isRejection } from "./invariants.js";
import { operations } from "./operations.js";

/** The fuzz oracles must be able to fail: each rule is shown rejecting a bad answer and passing a good one. */

const op = (id: string) => operations.find((o) => o.operationId === id)!;
const json = (status: number, body: unknown): Answer => ({
  status,
  headers: new Headers({ "content-type": "application/json" }),
  text: JSON.stringify(body),
  ms: 1,
});

describe("fuzz oracles", () => {
  it("read every operation from the OpenAPI document, with the runtime actions", () => {
    expect(op("tokenProcess").actions).toEqual(expect.arrayContaining(["OK", "BAD_REQUEST", "INVALID_CLIENT"]));
    expect(op("tokenProcess").acceptsForm).toBe(true);
    expect(op("clientGet").pathParams).toEqual(["serviceId", "clientId"]);
    expect(op("clientCreate").bodyFields.map((f) => f.name)).toContain("redirectUris");
  });

  it("flag a server error, a non-JSON body and a malformed error body", () => {
    expect(answerViolations(op("clientGet"), json(500, { resultCode: "A000101", resultMessage: "[A000101] x" }))).not.toEqual([]);
    expect(answerViolations(op("clientGet"), { status: 400, headers: new Headers({ "content-type": "text/plain" }), text: "oops", ms: 1 })).not.toEqual([]);
    expect(answerViolations(op("clientGet"), json(400, { error: "bad" }))).not.toEqual([]);
    expect(answerViolations(op("clientGet"), json(400, { resultCode: "A000204", resultMessage: "[A000204] x", stack: "at x" }))).not.toEqual([]);
    expect(answerViolations(op("clientGet"), json(404, { resultCode: "A003201", resultMessage: "[A003201] No client." }))).toEqual([]);
  });

  it("flag an undeclared action, an OAuth error outside its character set, and Tessera's own failure", () => {
    const token = op("tokenProcess");
    expect(answerViolations(token, json(200, { resultCode: "A050201", resultMessage: "[A050201] x", action: "MAYBE" }))).not.toEqual([]);
    const badError = JSON.stringify({ error: "invalid_request", error_description: 'quote " inside' });
    expect(answerViolations(token, json(200, { resultCode: "A050201", resultMessage: "[A050201] x", action: "BAD_REQUEST", responseContent: badError }))).not.toEqual([]);
    const fault = JSON.stringify({ error: "server_error" });
    expect(answerViolations(token, json(200, { resultCode: "A050101", resultMessage: "[A050101] x", action: "INTERNAL_SERVER_ERROR", responseContent: fault }))).not.toEqual([]);
    const good = JSON.stringify({ error: "invalid_grant", error_description: "The code is unknown." });
    expect(answerViolations(token, json(200, { resultCode: "A050301", resultMessage: "[A050301] x", action: "BAD_REQUEST", responseContent: good }))).toEqual([]);
  });

  it("flag a broken WWW-Authenticate value and a redirect with CR/LF or a script scheme", () => {
    const introspection = op("introspectionProcess");
    const answer = (content: string) => json(200, { resultCode: "A056201", resultMessage: "[A056201] x", action: "UNAUTHORIZED", responseContent: content });
    expect(answerViolations(introspection, answer('Bearer error="invalid_token", error_description="a "quoted" word"'))).not.toEqual([]);
    expect(answerViolations(introspection, answer('Bearer error="invalid_token", error_description="line\r\nbreak"'))).not.toEqual([]);
    expect(answerViolations(introspection, answer('Bearer error="invalid_token", error_description="The token is unknown."'))).toEqual([]);
    const authorization = op("authorizationProcess");
    const location = (url: string) => json(200, { resultCode: "A004001", resultMessage: "[A004001] x", action: "LOCATION", responseContent: url });
    expect(answerViolations(authorization, location("https://client.example.com/cb?state=a\r\nSet-Cookie:x"))).not.toEqual([]);
    expect(answerViolations(authorization, location("javascript:alert(1)"))).not.toEqual([]);
    expect(answerViolations(authorization, location("https://client.example.com/cb?error=access_denied&state=%3Cb%3E"))).toEqual([]);
  });

  it("accept our form_post page with hostile values, and flag markup we did not write", () => {
    const page = formPostPage("https://client.example.com/cb", [["state", '"><script>alert(1)</script>'], ["code", "abc"]]);
    expect(htmlViolations(page)).toEqual([]);
    expect(htmlViolations(page.replace("abc", '"><script>alert(1)</script>'))).not.toEqual([]);
    expect(htmlViolations(`${page}<img src=x>`)).not.toEqual([]);
  });

  it("tell a refusal from a success", () => {
    expect(isRejection(json(400, { resultCode: "A000204", resultMessage: "[A000204] x" }))).toBe(true);
    expect(isRejection(json(200, { action: "BAD_REQUEST" }))).toBe(true);
    expect(isRejection(json(200, { action: "LOCATION", responseContent: "https://c.example/cb?error=access_denied" }))).toBe(true);
    expect(isRejection(json(200, { action: "LOCATION", responseContent: "https://c.example/cb?code=x" }))).toBe(false);
    expect(isRejection(json(200, { action: "OK" }))).toBe(false);
  });
});
