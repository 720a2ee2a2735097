import type { Hook } from "@hono/zod-openapi";
import type { z } from "zod";
import type { AppEnv } from "./env.js";
import { ApiError } from "./errors.js";

/** Names every failing field (`redirectUris.0: must be an absolute URL`) so a caller can fix the request at once. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/** Turns a failed request validation into our result body: 400 with the field and the reason. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const target = (result as { target?: string }).target;
  const detail = describeIssues(result.error as z.ZodError);
  // Path and query issues name their parameter first, e.g. "The path parameter clientId is invalid: clientId is a positive integer".
  const name = String((result.error as z.ZodError).issues[0]?.path[0] ?? "");
  const reasons = (result.error as z.ZodError).issues.map((issue) => issue.message).join("; ");
  if (target === "param") throw new ApiError("invalidPathParameter", name, reasons);
  if (target === "query") throw new ApiError("invalidQueryParameter", name, reasons);
  throw new ApiError("invalidRequestBody", detail);
};
