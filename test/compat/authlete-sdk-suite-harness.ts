import { Authlete } from "@authlete/typescript-sdk";
import { HTTPClient } from "@authlete/typescript-sdk/lib/http.js";
import { expect } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";
import { operationOf, type SuitePart, sdkOperations } from "./authlete-sdk-suite-operations.js";

/**
 * Tessera on a loopback port and Authlete's SDK pointed at it, recording every answer the SDK
 * received: its operation (a key of `sdkOperations`) and its verdict (the `action` of a runtime
 * answer, else the HTTP status, with the `resultCode` when there is one).
 */
export interface SdkSuite {
  t: TestApp;
  /** The SDK holding the organization token. */
  admin: Authlete;
  /** The SDK holding another API token, as a login server or a developer portal would. */
  sdkWith(bearer: string): Authlete;
  /** Verdicts seen per operation. */
  verdicts: Map<string, Set<string>>;
  close(): Promise<void>;
}

async function verdictOf(response: Response): Promise<string> {
  const text = await response.clone().text();
  let body: { action?: unknown; resultCode?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // 204 and documents without a JSON object: the status is the verdict.
  }
  if (response.status === 200 && typeof body.action === "string") return body.action;
  return typeof body.resultCode === "string" ? `${response.status} ${body.resultCode}` : String(response.status);
}

export async function startSdkSuite(): Promise<SdkSuite> {
  const t = await createTestApp();
  const server = await listenOnLoopback(t.app);
  const verdicts = new Map<string, Set<string>>();
  const sdkWith = (bearer: string) => {
    const httpClient = new HTTPClient().addHook("response", async (response, request) => {
      const operation = operationOf(request.method, new URL(request.url)) ?? `unlisted ${request.method} ${new URL(request.url).pathname}`;
      const seen = verdicts.get(operation) ?? new Set<string>();
      seen.add(await verdictOf(response));
      verdicts.set(operation, seen);
    });
    return new Authlete({ serverURL: server.url, bearer, httpClient });
  };
  return {
    t,
    admin: sdkWith(t.adminToken),
    sdkWith,
    verdicts,
    async close() {
      await server.close();
      await t.close();
    },
  };
}

/**
 * Every operation of `part` in the table answered through the SDK with at least two verdicts (its
 * success and its main error), and no call went to an operation outside the table.
 */
export function expectPartCovered(suite: SdkSuite, part: SuitePart): void {
  const keys = Object.entries(sdkOperations)
    .filter(([, operation]) => operation.part === part)
    .map(([key]) => key);
  const underTwo = keys.filter((key) => (suite.verdicts.get(key)?.size ?? 0) < 2).map((key) => `${key}: ${[...(suite.verdicts.get(key) ?? [])].join(", ")}`);
  expect(underTwo).toEqual([]);
  expect([...suite.verdicts.keys()].filter((key) => !(key in sdkOperations))).toEqual([]);
}
