import { TrieRouter } from "hono/router/trie-router";
import { describe, expect, it } from "vitest";
import { MemoRouter } from "../../src/http/memo-router.js";

/** A route table shaped like the API's: static and parameter segments side by side, a wildcard middleware. */
const routes: Array<[string, string, string]> = [
  ["ALL", "/api/*", "limits"],
  ["POST", "/api/service/create", "serviceCreate"],
  ["GET", "/api/:serviceId/service/get", "serviceGet"],
  ["POST", "/api/:serviceId/auth/introspection", "introspection"],
  ["POST", "/api/:serviceId/auth/introspection/standard", "introspectionStandard"],
  ["GET", "/api/:serviceId/client/get/:clientId", "clientGet"],
  ["GET", "/docs/assets/:file", "asset"],
];

function both() {
  const memo = new MemoRouter<string>();
  const trie = new TrieRouter<string>();
  for (const [method, path, handler] of routes) {
    memo.add(method, path, handler);
    trie.add(method, path, handler);
  }
  return { memo, trie };
}

const requests: Array<[string, string]> = [
  ["POST", "/api/service/create"],
  ["GET", "/api/service/get"],
  ["POST", "/api/123/auth/introspection"],
  ["POST", "/api/456/auth/introspection"],
  ["POST", "/api/123/auth/introspection/standard"],
  ["GET", "/api/123/client/get/789"],
  ["GET", "/api/123/auth/introspection"],
  ["GET", "/docs/assets/swagger-ui.css"],
  ["GET", "/nowhere"],
];

describe("MemoRouter", () => {
  it("answers exactly as hono's TrieRouter, the first time and from memory", () => {
    const { memo, trie } = both();
    for (let round = 0; round < 3; round++) {
      for (const [method, path] of requests) expect(memo.match(method, path)).toEqual(trie.match(method, path));
    }
  });

  it("forgets its answers when a route is added", () => {
    const { memo } = both();
    expect(memo.match("POST", "/api/123/auth/token")[0].map(([handler]) => handler)).toEqual(["limits"]);
    memo.add("POST", "/api/:serviceId/auth/token", "token");
    expect(memo.match("POST", "/api/123/auth/token")[0]).toEqual([
      ["limits", {}],
      ["token", { serviceId: "123" }],
    ]);
  });

  it("stays right past the number of paths it remembers", () => {
    const { memo, trie } = both();
    for (let id = 1; id <= 5000; id++) memo.match("POST", `/api/${id}/auth/introspection`);
    for (const id of [1, 2500, 5000]) {
      expect(memo.match("POST", `/api/${id}/auth/introspection`)).toEqual(trie.match("POST", `/api/${id}/auth/introspection`));
    }
  });
});
