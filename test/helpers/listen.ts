import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { TesseraApp } from "../../src/app.js";

/** Serves `app` on a free loopback port, for clients that need a real URL (Authlete's SDK, browsers). */
export async function listenOnLoopback(app: TesseraApp): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
