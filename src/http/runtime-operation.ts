import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import { numericIdPattern } from "../domain/common.js";
import { type FieldTable, shapeOf, unsupportedValues } from "../domain/field-support.js";
import type { RateLimitCategory } from "../domain/rate-limits.js";
import { authorizeCall, type Requirement } from "./auth.js";
import type { AppEnv } from "./env.js";
import { ApiError, commonErrorResponses, permissionDeniedResponse } from "./errors.js";
import { jsonResponse } from "./json-response.js";
import { describeIssues } from "./validation-hook.js";

/**
 * A runtime request built from its field table (`runtime-request-fields.ts`): the schema has exactly
 * the table's fields and refuses any other, and a value waiting for a feature Tessera lacks fails the call.
 */
export interface RuntimeRequest<Req extends z.ZodObject> {
  schema: Req;
  fields: FieldTable;
}

export function runtimeRequest<T extends FieldTable>(name: string, fields: T) {
  return { schema: z.strictObject(shapeOf(fields)).openapi(name), fields };
}

/**
 * A runtime (protocol) operation: POST `/api/{serviceId}/…` taking JSON or a form body, answering
 * 200 with an `action`. The zod schemas are the single definition of the wire shape: they are
 * registered in the OpenAPI document and used to parse the body here. The body is read once as
 * text and parsed by hand (JSON.parse or URLSearchParams), which is several times cheaper than
 * hono's multipart-capable form parser on these hot paths.
 */
export interface RuntimeOperation<Req extends z.ZodObject, Res extends z.ZodType> {
  operationId: string;
  /** Path after `/api/{serviceId}`, e.g. `/auth/token`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  requirement: Requirement;
  /** The quota the operation is counted against: its endpoint family (`token` for /auth/token, /issue and /fail). */
  rateLimitCategory: RateLimitCategory;
  request: RuntimeRequest<Req>;
  response: Res;
}

export const ServiceIdParam = z.string().regex(numericIdPattern, "serviceId is a positive integer").describe("The service's numeric id (`apiKey`).");

/** Parses `serviceId` from the path; 400 when it is not a positive integer. */
export function serviceIdOf(c: Context<AppEnv>): number {
  const raw = c.req.param("serviceId") ?? "";
  if (!numericIdPattern.test(raw)) throw new ApiError("invalidPathParameter", "serviceId", "must be a positive integer");
  return Number(raw);
}

type Kind = "array" | "number" | "boolean" | "other";

function kindOf(schema: z.ZodType): Kind {
  let current: z.ZodType = schema;
  // Unwrap optional/nullable/default wrappers to reach the value type.
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    break;
  }
  if (current instanceof z.ZodArray) return "array";
  if (current instanceof z.ZodNumber) return "number";
  if (current instanceof z.ZodBoolean) return "boolean";
  return "other";
}

/** Form bodies carry only strings: give repeated keys, numbers and booleans the type the schema expects. */
export function formToObject(text: string, schema: z.ZodObject): Record<string, unknown> {
  const kinds = new Map<string, Kind>();
  for (const [key, field] of Object.entries(schema.shape)) kinds.set(key, kindOf(field as z.ZodType));
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const kind = kinds.get(key) ?? "other";
    if (kind === "array") {
      const list = (out[key] as string[] | undefined) ?? [];
      list.push(value);
      out[key] = list;
    } else if (kind === "number") {
      out[key] = value.trim() === "" || Number.isNaN(Number(value)) ? value : Number(value);
    } else if (kind === "boolean") {
      out[key] = value === "true" ? true : value === "false" ? false : value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The media type of a Content-Type value, lower-cased; the usual bare `application/json` skips the parsing. */
function mediaTypeOf(header: string | undefined): string {
  if (header === "application/json") return header;
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

export async function readRuntimeBody<Req extends z.ZodObject>(c: Context<AppEnv>, request: RuntimeRequest<Req>): Promise<z.infer<Req>> {
  const { schema } = request;
  const contentType = mediaTypeOf(c.req.header("content-type"));
  const text = await c.req.text();
  let raw: unknown;
  if (contentType === "application/json") {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ApiError("malformedJson", error instanceof Error ? error.message : "unparseable");
    }
  } else if (contentType === "application/x-www-form-urlencoded") {
    raw = formToObject(text, schema);
  } else {
    throw new ApiError("unsupportedContentType", contentType || "(none)");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError("invalidRequestBody", describeIssues(parsed.error));
  // Unlike the management API's message, the values stay out: here they are proofs, keys and certificates.
  const unsupported = unsupportedValues(request.fields, parsed.data, { echoValues: false });
  if (unsupported.length > 0) throw new ApiError("requestFieldNotSupported", unsupported.join("; "));
  return parsed.data;
}

/** Registers the operation in the OpenAPI document and mounts its handler behind API-token authorization. */
export function registerRuntimeOperation<Req extends z.ZodObject, Res extends z.ZodType>(
  app: OpenAPIHono<AppEnv>,
  operation: RuntimeOperation<Req, Res>,
  handler: (input: { c: Context<AppEnv>; serviceId: number; body: z.infer<Req> }) => Promise<z.infer<Res>>,
): void {
  const path = `/api/{serviceId}${operation.path}`;
  app.openAPIRegistry.registerPath({
    operationId: operation.operationId,
    method: "post",
    path,
    tags: [operation.tag],
    summary: operation.summary,
    description: operation.description,
    security: [{ bearer: [] }],
    request: {
      params: z.object({ serviceId: ServiceIdParam }),
      body: {
        required: true,
        content: {
          "application/json": { schema: operation.request.schema },
          "application/x-www-form-urlencoded": { schema: operation.request.schema },
        },
      },
    },
    responses: {
      200: {
        description: "The call was understood; `action` tells the caller what to relay.",
        content: { "application/json": { schema: operation.response } },
      },
      ...commonErrorResponses,
      403: permissionDeniedResponse(operation.requirement),
    },
  });
  // One handler, not authorize() as a middleware before it: a level less of hono's middleware chain
  // on the hottest paths. Whatever it throws reaches the app's error handler, which adds the
  // rate-limit fields as authorize() would.
  app.post(`/api/:serviceId${operation.path}`, async (c) => {
    const refused = await authorizeCall(c, operation.requirement, operation.rateLimitCategory);
    if (refused) return refused;
    const serviceId = serviceIdOf(c);
    const body = await readRuntimeBody(c, operation.request);
    const result = await handler({ c, serviceId, body });
    return jsonResponse(c, result, 200);
  });
}
