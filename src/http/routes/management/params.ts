import { z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { numericIdPattern } from "../../../domain/common.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { requestIdOf } from "../../request-id.js";
import { ServiceIdParam } from "../../runtime-operation.js";

export const ServicePathParams = z.object({ serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }) });

export const ClientPathParams = z.object({
  serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }),
  clientId: z
    .string()
    .regex(numericIdPattern, "clientId is a positive integer")
    .openapi({ param: { name: "clientId", in: "path" }, description: "The client's numeric id." }),
});

/** A path segment naming a client by its numeric clientId or its clientIdAlias (an alias has the same shape). */
const clientIdOrAlias = (name: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7E]+$/, `${name} is a clientId or a clientIdAlias (printable ASCII)`)
    .openapi({ param: { name, in: "path" }, description: "The numeric clientId or the clientIdAlias." });

export const ClientIdentifierPathParams = z.object({
  serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }),
  clientIdentifier: clientIdOrAlias("clientIdentifier"),
});

/** `client/get/{clientId}`: Authlete names the segment clientId but it takes an alias too (its SDK passes a string). */
export const ClientGetPathParams = z.object({
  serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }),
  clientId: clientIdOrAlias("clientId"),
});

export const ApiTokenPathParams = z.object({
  serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }),
  tokenId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "tokenId is the id returned at creation")
    .openapi({ param: { name: "tokenId", in: "path" }, description: "The API token's `id`, as apitoken/create and apitoken/get/list answer it." }),
});

/** The end-user of the client-authorization and granted-scopes calls; its length is checked in core, with each call's own code. */
export const subjectText = "The end-user's subject, as /auth/authorization/issue received it.";
export const SubjectPathParam = z.string().min(1).openapi({ param: { name: "subject", in: "path" }, description: subjectText });
/** Authlete's SDK sends the subject in the query as well as in the path: both must then be equal. */
export const subjectQueryParam = (description: string) => z.string().optional().openapi({ param: { name: "subject", in: "query" }, description });

/** Largest page a list call returns; a wider `end` is reduced to `start + maxPageSize`. */
export const maxPageSize = 1000;

/** The widest `start` or `end` (nine digits), as Authlete's own bound. */
const maxPageOffset = 999_999_999;
const pageOffsetText = /^(0|[1-9][0-9]{0,8})$/;

/**
 * `start` or `end` of a page, in the query: an integer in the document (so typed clients pass
 * numbers), read from the query string's decimal text. Anything else (a sign, a fraction, an
 * exponent, a blank) stays a string and fails with the same message and code as before.
 */
export const pageOffset = (name: string, fallback: string) => {
  const message = `${name} is a non-negative integer`;
  return z
    .preprocess(
      (value) => (typeof value === "string" && pageOffsetText.test(value) ? Number(value) : value),
      z.number({ error: message }).int(message).min(0, message).max(maxPageOffset, message),
    )
    .optional()
    .openapi({ param: { name, in: "query" }, description: `Default ${fallback}.` });
};

export const ServiceListQuery = z.object({ start: pageOffset("start", "0"), end: pageOffset("end", "5") });
export const ClientListQuery = z.object({
  start: pageOffset("start", "0"),
  end: pageOffset("end", "5"),
  developer: z.string().max(200).optional().openapi({ param: { name: "developer", in: "query" }, description: "Only clients of this developer." }),
});

/** `start` inclusive, `end` exclusive, defaults 0 and 5 as in Authlete; `end` before `start` is a caller error. */
export function pageRange(query: { start?: number | undefined; end?: number | undefined }): { start: number; end: number } {
  const start = query.start ?? 0;
  const end = query.end ?? start + 5;
  if (end < start) throw new ApiError("invalidQueryParameter", "end", "must not be less than start");
  return { start, end: Math.min(end, start + maxPageSize) };
}

/**
 * Bodies of the management API are JSON only. hono's JSON validator treats any other content type
 * as an empty object, which would turn a form POST to an update into a silent no-op; refuse it (415).
 */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!/^application\/([\w.-]+\+)?json$/.test(mediaType)) throw new ApiError("unsupportedContentType", mediaType || "(none)");
  await next();
};

/**
 * One info line per change an admin makes, naming who did it (the API token's id) and what changed.
 * Only identifiers: never a secret, token value or request body (SEC-144).
 */
export function audit(c: Context<AppEnv>, event: string, fields: Record<string, string | number | boolean>): void {
  const caller = c.get("caller");
  c.get("deps").logger.info({ audit: event, callerTokenId: caller.tokenId, callerKind: caller.kind, requestId: requestIdOf(c), ...fields }, event);
}
