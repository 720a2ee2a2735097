import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fcParams, fuzzTestTimeoutMs } from "./budget.js";
import { answerViolations, isRejection } from "./invariants.js";
import { type Operation, operations } from "./operations.js";
import { hostileRequest } from "./requests.js";
import { DatabaseDigest, type FuzzWorld, type RawRequest, createWorld, scratchWorld, send } from "./support.js";

/**
 * Hostile input against EVERY operation of the OpenAPI document (a new endpoint is fuzzed the day it
 * is registered). Properties, for each generated request:
 * - never a 5xx, never slower than the deadline (no hang);
 * - a failed call is `{resultCode, resultMessage}` with a 4xx; a runtime 200 has a declared action
 *   with a `responseContent` of its kind; HTML contains only the markup we write (SEC-027, SEC-146);
 * - a rejected request (4xx, or an error action) leaves every table unchanged.
 */

/** Runs per property in `npm test`; operations whose success is slow (key generation) get fewer. */
const QUICK_RUNS: Record<string, number> = { serviceCreate: 25, serviceKeysRotate: 15, serviceUpdate: 40 };
const DEFAULT_QUICK_RUNS = 60;

/** Operations that may, by design, change state while refusing: they are excused from the no-change rule only in these cases. */
function changeExcused(operation: Operation, request: RawRequest, world: FuzzWorld): boolean {
  const body = typeof request.body === "string" ? request.body : "";
  switch (operation.operationId) {
    case "tokenFail":
    case "authorizationFail":
      return true; // spending the ticket is the point of the call
    case "tokenProcess":
      // Presenting a used code or a rotated refresh token revokes its grant (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
      return body.includes(world.seeds.code) || body.includes(world.seeds.refreshToken);
    default:
      return false;
  }
}

/** Management operations that change what they touch get a service of their own, so they cannot break the others' world. */
function mutates(operation: Operation): boolean {
  return operation.actions.length === 0 && operation.method !== "GET";
}

let world: FuzzWorld;
let digest: DatabaseDigest;
const tally = { requests: 0, unbuildable: 0, byStatus: new Map<string, number>(), rateLimited: new Set<string>() };

beforeAll(async () => {
  world = await createWorld();
  digest = new DatabaseDigest(world.t.databaseFile!);
}, 60_000);

afterAll(async () => {
  const statuses = [...tally.byStatus.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}:${v}`);
  console.log(`[fuzz] ${tally.requests} hostile requests over ${operations.length} operations (${tally.unbuildable} not sendable); answers ${statuses.join(" ")}; 429 seen on ${[...tally.rateLimited].join(",") || "none"}`);
  digest?.close();
  await world?.t.close();
});

function describeRequest(request: RawRequest): string {
  const body = request.body === undefined ? "" : typeof request.body === "string" ? request.body.slice(0, 600) : `bytes ${Buffer.from(request.body).toString("hex")}`;
  return `${request.method} ${request.target.slice(0, 300)} ${JSON.stringify(request.headers).slice(0, 300)} ${body}`;
}

async function check(operation: Operation, target: FuzzWorld, request: RawRequest): Promise<void> {
  const before = digest.take();
  const answer = await send(target.t, request);
  if (answer === null) {
    tally.unbuildable++;
    return;
  }
  tally.requests++;
  let key = String(answer.status);
  if (answer.status === 429) tally.rateLimited.add(`${operation.operationId} ${answer.text.slice(0, 120)}`);
  if (answer.status === 200 && operation.actions.length > 0) key += `/${(JSON.parse(answer.text) as { action?: string }).action}`;
  tally.byStatus.set(key, (tally.byStatus.get(key) ?? 0) + 1);
  const problems = answerViolations(operation, answer);
  if (isRejection(answer) && !changeExcused(operation, request, target) && digest.take() !== before) {
    problems.push(`${operation.operationId} → ${answer.status}: a rejected request changed the database (${answer.text.slice(0, 200)})`);
  }
  if (problems.length > 0) throw new Error(`${problems.join("\n")}\nrequest: ${describeRequest(request)}`);
}

describe("hostile input, every operation", () => {
  it("covers every operation of the OpenAPI document", () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
    expect(operations.map((o) => o.operationId)).toEqual(expect.arrayContaining(["tokenProcess", "authorizationProcess", "clientCreate", "serviceCreate"]));
  });

  it.each(operations.map((operation) => [operation.operationId, operation] as const))(
    "%s",
    async (_id, operation) => {
      const target = mutates(operation) ? await scratchWorld(world) : world;
      await fc.assert(
        fc.asyncProperty(hostileRequest(operation, target), (request) => check(operation, target, request)),
        fcParams(QUICK_RUNS[operation.operationId] ?? DEFAULT_QUICK_RUNS),
      );
    },
    fuzzTestTimeoutMs,
  );
});
