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
  /** A JSON call over plain HTTP, recorded like the SDK's: for the operations the SDK has no method for. */
  http(bearer: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> | null }>;
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
  const record = async (response: Response, request: Request) => {
    const operation = operationOf(request.method, new URL(request.url)) ?? `unlisted ${request.method} ${new URL(request.url).pathname}`;
    const seen = verdicts.get(operation) ?? new Set<string>();
    seen.add(await verdictOf(response));
    verdicts.set(operation, seen);
  };
  const sdkWith = (bearer: string) => new Authlete({ serverURL: server.url, bearer, httpClient: new HTTPClient().addHook("response", record) });
  return {
    t,
    admin: sdkWith(t.adminToken),
    sdkWith,
    async http(bearer, method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "content-type": "application/json" }) };
      const request = new Request(new URL(path, server.url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const response = await fetch(request.clone());
      await record(response, request);
      const text = await response.text();
      return { status: response.status, body: text === "" ? null : (JSON.parse(text) as Record<string, unknown>) };
    },
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
