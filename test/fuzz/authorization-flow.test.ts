import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fcParams, fuzzTestTimeoutMs } from "./budget.js";
import { MARKUP, hostileString } from "./hostile.js";
import { answerViolations, htmlViolations } from "./invariants.js";
import { operations } from "./operations.js";
import { type FuzzWorld, REDIRECT, createWorld, send } from "./support.js";

/**
 * The values a client controls come back to the browser: `state` in every authorization response
 * (redirect or form_post page), and error descriptions. Here valid authorization requests carry
 * hostile `state`/`nonce` values and go through /issue or /fail with hostile inputs, and:
 * - every answer keeps the invariants of the endpoint fuzz (no 5xx, right shapes, our HTML only);
 * - the `state` the client sent comes back exactly as the server parsed it: not cut, not altered,
 *   not able to add parameters or markup (RFC 6749 §4.1.2);
 * - `error` and `error_description` stay in the RFC 6749 character set wherever they are carried.
 */

const opsById = new Map(operations.map((op) => [op.operationId, op]));
let world: FuzzWorld;
let flows = 0;

beforeAll(async () => {
  world = await createWorld();
}, 60_000);

afterAll(async () => {
  console.log(`[fuzz] ${flows} authorization round trips with hostile state`);
  await world?.t.close();
});

const htmlEntities: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/** The response parameters a redirect URL or a form_post page carries. */
function responseParameters(action: string, content: string): URLSearchParams {
  if (action === "LOCATION") {
    const url = new URL(content);
    return new URLSearchParams(url.hash.length > 1 ? url.hash.slice(1) : url.search);
  }
  const params = new URLSearchParams();
  for (const match of content.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    const decode = (value: string) => value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => htmlEntities[entity] ?? entity);
    params.append(decode(match[1]!), decode(match[2]!));
  }
  return params;
}

const OAUTH_CHARS = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

function checkResponse(action: string, content: string, expectedState: string | null): string[] {
  const problems: string[] = [];
  if (action === "FORM") problems.push(...htmlViolations(content));
  const params = responseParameters(action, content);
  if (expectedState !== null && params.getAll("state").length !== 1) problems.push(`state carried ${params.getAll("state").length} times`);
  if (expectedState !== null && params.get("state") !== expectedState) problems.push(`state came back altered: ${JSON.stringify(params.get("state"))} for ${JSON.stringify(expectedState)}`);
  for (const name of ["error", "error_description"]) {
    const value = params.get(name);
    if (value !== null && !OAUTH_CHARS.test(value)) problems.push(`${name} outside the RFC 6749 character set: ${JSON.stringify(value)}`);
  }
  for (const name of params.keys()) {
    if (!["code", "state", "iss", "error", "error_description", "error_uri", "access_token", "token_type", "expires_in", "id_token", "scope"].includes(name)) {
      problems.push(`unexpected response parameter ${JSON.stringify(name)}`);
    }
  }
  return problems;
}

describe("authorization round trips with hostile client values", () => {
  it(
    "state comes back exactly, error texts stay in the OAuth character set, HTML is ours",
    async () => {
      const state = fc.oneof(hostileString(), fc.constantFrom(...MARKUP), fc.constantFrom("a&code=evil", "x#frag", "x\r\nLocation: //evil", "%26code%3Devil"));
      const step = fc.oneof(
        fc.record({ kind: fc.constant("issue" as const), subject: fc.oneof(fc.constant("alice"), hostileString()), acr: fc.option(hostileString(), { nil: undefined }) }),
        fc.record({
          kind: fc.constant("fail" as const),
          reason: fc.constantFrom("DENIED", "NOT_LOGGED_IN", "CONSENT_REQUIRED", "INTERACTION_REQUIRED", "UNKNOWN", "ACCOUNT_SELECTION_REQUIRED", "LOGIN_REQUIRED"),
          description: fc.option(fc.oneof(hostileString(), fc.constantFrom(...MARKUP)), { nil: undefined }),
        }),
      );
      const request = fc.record({
        state,
        nonce: fc.oneof(fc.constant("n-1"), hostileString()),
        responseType: fc.constantFrom("code", "code id_token", "id_token", "id_token token", "code token"),
        responseMode: fc.constantFrom("query", "fragment", "form_post", undefined),
        step,
      });
      const authorizationOp = opsById.get("authorizationProcess")!;
      await fc.assert(
        fc.asyncProperty(request, async ({ state: s, nonce, responseType, responseMode, step: next }) => {
          const raw: Record<string, string> = { client_id: "web", response_type: responseType, redirect_uri: REDIRECT, scope: "openid profile", state: s, nonce };
          if (responseMode) raw.response_mode = responseMode;
          let parameters: string;
          try {
            parameters = new URLSearchParams(raw).toString();
          } catch {
            return;
          }
          // What the server sees is what URLSearchParams decodes (a lone surrogate becomes U+FFFD).
          const sentState = new URLSearchParams(parameters).get("state");
          const headers = { authorization: `Bearer ${world.serviceToken}`, "content-type": "application/json" };
          const base = `/api/${world.serviceId}`;
          const first = await send(world.t, { method: "POST", target: `${base}/auth/authorization`, headers, body: JSON.stringify({ parameters }) });
          if (!first) return;
          const problems = answerViolations(authorizationOp, first);
          const body = JSON.parse(first.text) as Record<string, unknown>;
          if ((body.action === "LOCATION" || body.action === "FORM") && typeof body.responseContent === "string") {
            problems.push(...checkResponse(body.action, body.responseContent, sentState === "" ? null : sentState));
          }
          if (body.action === "INTERACTION") {
            flows++;
            const op = opsById.get(next.kind === "issue" ? "authorizationIssue" : "authorizationFail")!;
            const payload =
              next.kind === "issue"
                ? { ticket: body.ticket, subject: next.subject, ...(next.acr === undefined ? {} : { acr: next.acr }) }
                : { ticket: body.ticket, reason: next.reason, ...(next.description === undefined ? {} : { description: next.description }) };
            const second = await send(world.t, { method: "POST", target: `${base}/auth/authorization/${next.kind}`, headers, body: JSON.stringify(payload) });
            if (second) {
              problems.push(...answerViolations(op, second));
              const answer = JSON.parse(second.text) as Record<string, unknown>;
              if ((answer.action === "LOCATION" || answer.action === "FORM") && typeof answer.responseContent === "string") {
                problems.push(...checkResponse(answer.action, answer.responseContent, sentState === "" ? null : sentState));
              }
            }
          }
          if (problems.length > 0) throw new Error(`${problems.join("\n")}\nparameters: ${parameters}\nstep: ${JSON.stringify(next)}`);
        }),
        fcParams(120),
      );
      expect(flows).toBeGreaterThan(0);
    },
    fuzzTestTimeoutMs,
  );
});
