import { serve } from "@hono/node-server";
import { Hono } from "hono";

/**
 * The HTTP ceiling: a bare Hono app on @hono/node-server, the same HTTP stack Tessera uses, doing
 * no work beyond what any JSON API must (read the body, parse it, answer JSON). Tessera's figures
 * are reported as a share of this.
 */
const port = Number(process.env.BENCH_PORT);
const app = new Hono();

app.get("/", (c) => c.text("hello"));
app.post("/hello", async (c) => {
  const body = await c.req.text();
  const parsed: unknown = JSON.parse(body);
  return c.json({ action: "OK", received: typeof parsed === "object" && parsed !== null ? Object.keys(parsed).length : 0 });
});

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
