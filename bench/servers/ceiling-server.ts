import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";

/**
 * The HTTP ceiling: a bare Hono app on @hono/node-server, the same HTTP stack Tessera uses, doing
 * no work beyond what any JSON API must (read the body, parse it, answer JSON). Tessera's figures
 * are reported as a share of `POST /hello`. `POST /limited/hello` is the same behind hono's
 * `bodyLimit` middleware, to show what that middleware costs on this stack.
 */
const port = Number(process.env.BENCH_PORT);
const app = new Hono();

const hello = async (c: Context) => {
  const body = await c.req.text();
  const parsed: unknown = JSON.parse(body);
  return c.json({ action: "OK", received: typeof parsed === "object" && parsed !== null ? Object.keys(parsed).length : 0 });
};

app.use("/limited/*", bodyLimit({ maxSize: 1024 * 1024 }));
app.get("/", (c) => c.text("hello"));
app.post("/hello", hello);
app.post("/limited/hello", hello);

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
