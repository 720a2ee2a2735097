import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { ResultCodeName } from "../../../core/result-codes.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { formToObject } from "../../runtime-operation.js";
import { describeIssues } from "../../validation-hook.js";

/**
 * The body of a management POST that Authlete's spec lets come as JSON or as a form (the client
 * authorization and granted-scopes calls). The runtime operations have their own reader; this one
 * also names a problem with a field by that field's own result code (`fieldCodes`), so a missing
 * subject or bad scopes get the code that says so instead of the general A000204.
 */
export interface JsonOrFormOptions {
  /** A result code per field for a value of the wrong shape; other problems are A000204. */
  fieldCodes?: Readonly<Record<string, ResultCodeName>>;
  /** Array fields a form carries as one space-separated value (Authlete's `scopes`), split before validation. */
  spaceSeparated?: readonly string[];
}

const jsonMediaType = /^application\/([\w.-]+\+)?json$/;

export async function readJsonOrFormBody<S extends z.ZodObject>(c: Context<AppEnv>, schema: S, options: JsonOrFormOptions = {}): Promise<z.infer<S>> {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = await c.req.text();
  let raw: unknown;
  // No body (Authlete's update declares it optional; its SDK then sends nothing, typed as JSON): every
  // field absent, so a required one is named by its own code rather than the body called malformed.
  if (text === "") {
    raw = {};
  } else if (jsonMediaType.test(mediaType)) {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ApiError("malformedJson", error instanceof Error ? error.message : "unparseable");
    }
  } else if (mediaType === "application/x-www-form-urlencoded") {
    const form = formToObject(text, schema);
    // A repeated parameter of a single value would otherwise end as its last occurrence.
    const names = [...new URLSearchParams(text).keys()];
    const repeated = names.find((name, index) => names.indexOf(name) !== index && !Array.isArray(form[name]));
    if (repeated !== undefined) {
      const detail = `${repeated}: appears more than once`;
      throw new ApiError(options.fieldCodes?.[repeated] ?? "invalidRequestBody", detail);
    }
    for (const name of options.spaceSeparated ?? []) {
      const values = form[name];
      if (Array.isArray(values)) form[name] = values.flatMap((value: string) => value.split(" ").filter((item) => item !== ""));
    }
    raw = form;
  } else {
    throw new ApiError("unsupportedContentType", mediaType || "(none)");
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const field = String(parsed.error.issues[0]?.path[0] ?? "");
  const code = options.fieldCodes?.[field];
  throw code ? new ApiError(code, describeIssues(parsed.error)) : new ApiError("invalidRequestBody", describeIssues(parsed.error));
}

/**
 * Registers a POST whose body `readJsonOrFormBody` reads: the route (with its JSON and form bodies)
 * goes into the OpenAPI document, and the handler is mounted behind the route's middleware with its
 * path parameters parsed. Not `app.openapi`, whose body validators would parse the body first and
 * answer every problem with A000204 (or a bare 415) before the handler can name it.
 */
export function openapiWithOwnBody<P extends z.ZodObject>(
  app: OpenAPIHono<AppEnv>,
  route: RouteConfig & { method: "post"; request: { params: P } },
  handler: (c: Context<AppEnv>, params: z.infer<P>) => Promise<Response>,
): void {
  // As app.openapi does: the middleware is the route's behaviour, not part of its document.
  const { middleware: declared, ...documented } = route;
  app.openAPIRegistry.registerPath(documented);
  const middleware = declared === undefined ? [] : Array.isArray(declared) ? declared : [declared];
  const handle: MiddlewareHandler<AppEnv> = async (c) => {
    const parsed = route.request.params.safeParse(c.req.param());
    if (!parsed.success) {
      const name = String(parsed.error.issues[0]?.path[0] ?? "");
      throw new ApiError("invalidPathParameter", name, parsed.error.issues.map((issue) => issue.message).join("; "));
    }
    return handler(c, parsed.data);
  };
  app.on(["POST"], [route.path.replaceAll(/\/{(.+?)}/g, "/:$1")], ...(middleware as MiddlewareHandler<AppEnv>[]), handle);
}
