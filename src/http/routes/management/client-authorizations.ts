import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteClientAuthorization } from "../../../core/client-authorization/delete-authorization.js";
import { listAuthorizedClients } from "../../../core/client-authorization/list-authorized-clients.js";
import { updateClientAuthorization } from "../../../core/client-authorization/update-authorization.js";
import { resultBody } from "../../../core/result-codes.js";
import { authorize } from "../../auth.js";
import { ClientLimited, clientLimitedView } from "../../client-limited-wire.js";
import type { AppEnv } from "../../env.js";
import { ApiError, commonErrorResponses } from "../../errors.js";
import { ServiceIdParam } from "../../runtime-operation.js";
import { openapiWithOwnBody, readJsonOrFormBody } from "./json-or-form-body.js";
import { audit, ClientGetPathParams, maxPageSize, pageOffset, pageRange, SubjectPathParam, subjectQueryParam, subjectText } from "./params.js";

/*
 * Client authorizations (Authlete's `client/authorization/*`): the clients a user has authorized, as
 * the tokens the user holds at them, listed, narrowed or taken back at once. Authlete lets the
 * subject come in the path, the query or the body; every form of its spec is here.
 */

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const jsonOrForm = <T>(schema: T) => ({ required: true, content: { "application/json": { schema }, "application/x-www-form-urlencoded": { schema } } });
const base = "/api/{serviceId}/client/authorization";
const tags = ["Client authorizations"];

const developerQuery = z.string().max(200).optional().openapi({ param: { name: "developer", in: "query" }, description: "Only clients of this developer." });
const pageQuery = { start: pageOffset("start", "0"), end: pageOffset("end", "start + 5") };

const ListResponse = z
  .object({
    start: z.number().int(),
    end: z.number().int(),
    developer: z.string().optional(),
    subject: z.string(),
    totalCount: z.number().int().describe("How many clients the subject has authorized (of `developer`, when given), on every page."),
    clients: z.array(ClientLimited),
  })
  .openapi("ClientAuthorizationGetListResponse");

const pageNumber = z.number().int().min(0).max(999_999_999);
const ListRequest = z
  .strictObject({
    subject: z.string().describe(subjectText),
    developer: z.string().max(200).optional().describe("Only clients of this developer."),
    start: pageNumber.optional().describe("Index of the first client of the page (inclusive), default 0."),
    end: pageNumber.optional().describe("Index after the last client of the page (exclusive), default start + 5, at most start + 1000."),
  })
  .openapi("ClientAuthorizationGetListRequest");

/** RFC 6749 §3.3 scope-token characters: a name a token can carry. */
const scopeName = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/, "a scope name: 1 to 200 characters, no spaces");
const UpdateRequest = z
  .strictObject({
    subject: z.string().describe(subjectText),
    scopes: z
      .array(scopeName)
      .max(100)
      .nullable()
      .optional()
      .describe(
        "The new scopes of every usable token the subject holds at the client, each supported by the service and requestable by the client. " +
          "Absent or null: nothing changes. In a form body, one space-separated value.",
      ),
  })
  .openapi("ClientAuthorizationUpdateRequest");

const DeleteRequest = z.strictObject({ subject: z.string().describe(subjectText) }).openapi("ClientAuthorizationDeleteRequest");

const ResultResponse = (name: string) => z.object({ resultCode: z.string(), resultMessage: z.string() }).openapi(name);
const UpdateResponse = ResultResponse("ClientAuthorizationUpdateResponse");
const DeleteResponse = ResultResponse("ClientAuthorizationDeleteResponse");

const listDescription =
  "Needs USE_SERVICE. The clients the subject holds a usable token of (an access token neither revoked nor expired, or a refresh token that can still " +
  "refresh), ordered by clientId; a page at a time, `start` inclusive (default 0), `end` exclusive (default start + 5). A subject without tokens, or " +
  "a page beyond the last client, is an empty list with the total. No subject: 400 A139201; two different ones: 400 A139202.";

const listByQueryRoute = createRoute({
  operationId: "clientManagementListAuthorizationsByQuery",
  method: "get",
  path: `${base}/get/list`,
  tags,
  summary: "List the clients a user has authorized",
  description: `${listDescription} Bad start or end, or end before start: 400 A000208.`,
  middleware: [authorize("USE_SERVICE", "management")],
  request: {
    params: z.object({ serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }) }),
    query: z.object({ subject: subjectQueryParam(`Required. ${subjectText}`), developer: developerQuery, ...pageQuery }),
  },
  responses: { 200: json(ListResponse, "A page of the clients the user authorized."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const listBySubjectRoute = createRoute({
  operationId: "clientManagementListAuthorizations",
  method: "get",
  path: `${base}/get/list/{subject}`,
  tags,
  summary: "List the clients a user has authorized (subject in the path)",
  description: `${listDescription} Bad start or end, or end before start: 400 A000208.`,
  middleware: [authorize("USE_SERVICE", "management")],
  request: {
    params: z.object({ serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }), subject: SubjectPathParam }),
    query: z.object({ subject: subjectQueryParam("Optional; when given, equal to the path's (Authlete's SDK sends both)."), developer: developerQuery, ...pageQuery }),
  },
  responses: { 200: json(ListResponse, "A page of the clients the user authorized."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const listPostRoute = createRoute({
  operationId: "clientManagementListAuthorizationsPost",
  method: "post",
  path: `${base}/get/list`,
  tags,
  summary: "List the clients a user has authorized (POST form)",
  description: `${listDescription} A bad start or end in the body, or end before start: 400 A139203.`,
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: z.object({ serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }) }), body: jsonOrForm(ListRequest) },
  responses: {
    200: json(ListResponse, "A page of the clients the user authorized."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

const clientNamed = "`clientId` is the client's number or its `clientIdAlias`; unknown, or a client of another service: 404 A003201.";

const updateRoute = createRoute({
  operationId: "clientManagementUpdateAuthorizations",
  method: "post",
  path: `${base}/update/{clientId}`,
  tags,
  summary: "Change the scopes of the tokens a user holds at a client",
  description:
    "Needs USE_SERVICE. Sets `scopes` on every usable access and refresh token the subject holds at the client (and on the grants they come from), " +
    "effective at once at introspection, userinfo and refresh; the answer counts the access tokens changed. A scope the service does not support " +
    "(400 A138203) or the client may not request (400 A138204) is refused, never granted. No subject: 400 A138201; scopes not an array of names: " +
    `400 A138202. ${clientNamed}`,
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: ClientGetPathParams, body: jsonOrForm(UpdateRequest) },
  responses: {
    200: json(UpdateResponse, "The tokens were updated (A138001)."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

const deleteDescription =
  "Needs USE_SERVICE. Revokes every token the subject holds at the client, with the grants they come from: at once, introspection, userinfo and " +
  "refresh refuse them, and a code or refresh token under those grants yields nothing. The answer counts the usable access tokens (with their " +
  "refresh tokens) taken back; 0 when there were none. The recorded consent stays: /client/granted_scopes/delete forgets it. No subject: 400 A137201; " +
  `two different ones: 400 A137202. ${clientNamed}`;

const deleteByQueryRoute = createRoute({
  operationId: "clientManagementDeleteAuthorizationsByQuery",
  method: "delete",
  path: `${base}/delete/{clientId}`,
  tags,
  summary: "Take back what a user authorized a client",
  description: deleteDescription,
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: ClientGetPathParams, query: z.object({ subject: subjectQueryParam(`Required. ${subjectText}`) }) },
  responses: { 200: json(DeleteResponse, "The tokens were revoked (A137001)."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const deleteBySubjectRoute = createRoute({
  operationId: "clientManagementDeleteAuthorizations",
  method: "delete",
  path: `${base}/delete/{clientId}/{subject}`,
  tags,
  summary: "Take back what a user authorized a client (subject in the path)",
  description: deleteDescription,
  middleware: [authorize("USE_SERVICE", "management")],
  request: {
    params: ClientGetPathParams.extend({ subject: SubjectPathParam }),
    query: z.object({ subject: subjectQueryParam("Optional; when given, equal to the path's (Authlete's SDK sends both).") }),
  },
  responses: { 200: json(DeleteResponse, "The tokens were revoked (A137001)."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const deletePostRoute = createRoute({
  operationId: "clientManagementDeleteAuthorizationsPost",
  method: "post",
  path: `${base}/delete/{clientId}`,
  tags,
  summary: "Take back what a user authorized a client (POST form)",
  description: deleteDescription,
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: ClientGetPathParams, body: jsonOrForm(DeleteRequest) },
  responses: {
    200: json(DeleteResponse, "The tokens were revoked (A137001)."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

/** The page of a POST body: as `pageRange` does for a query, with the body's own code. */
function bodyPageRange(start: number | undefined, end: number | undefined): { start: number; end: number } {
  const first = start ?? 0;
  const last = end ?? first + 5;
  if (last < first) throw new ApiError("clientAuthorizationListPageInvalid", `end (${last}) is less than start (${first})`);
  return { start: first, end: Math.min(last, first + maxPageSize) };
}

/** Absent and "" (what SDKs send for a string left unset) are no developer. */
const developerOf = (value: string | undefined) => value || null;

async function answerList(c: Context<AppEnv>, input: Parameters<typeof listAuthorizedClients>[2]) {
  const serviceId = Number(c.req.param("serviceId"));
  const list = await listAuthorizedClients(c.get("deps"), serviceId, input);
  const body: z.infer<typeof ListResponse> = {
    start: list.start,
    end: list.end,
    ...(list.developer !== null ? { developer: list.developer } : {}),
    subject: list.subject,
    totalCount: list.totalCount,
    clients: list.clients.map(clientLimitedView),
  };
  return c.json(body, 200);
}

async function answerDelete(c: Context<AppEnv>, serviceId: number, clientId: string, subjects: Array<string | undefined>) {
  const deleted = await deleteClientAuthorization(c.get("deps"), serviceId, clientId, subjects);
  audit(c, "client authorization deleted", { serviceId, clientId: deleted.client.clientId, count: deleted.count });
  return c.json(resultBody("clientAuthorizationDeleted", deleted.count, deleted.client.clientId, serviceId), 200);
}

export function registerClientAuthorizationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listByQueryRoute, async (c) => {
    const query = c.req.valid("query");
    return answerList(c, { subjects: [query.subject], developer: developerOf(query.developer), ...pageRange(query) });
  });

  app.openapi(listBySubjectRoute, async (c) => {
    const query = c.req.valid("query");
    return answerList(c, { subjects: [c.req.valid("param").subject, query.subject], developer: developerOf(query.developer), ...pageRange(query) });
  });

  openapiWithOwnBody(app, listPostRoute, async (c) => {
    const body = await readJsonOrFormBody(c, ListRequest, {
      fieldCodes: { subject: "clientAuthorizationListSubjectMissing", start: "clientAuthorizationListPageInvalid", end: "clientAuthorizationListPageInvalid" },
    });
    return answerList(c, { subjects: [body.subject], developer: developerOf(body.developer), ...bodyPageRange(body.start, body.end) });
  });

  openapiWithOwnBody(app, updateRoute, async (c, { serviceId, clientId }) => {
    const body = await readJsonOrFormBody(c, UpdateRequest, {
      fieldCodes: { subject: "clientAuthorizationUpdateSubjectMissing", scopes: "clientAuthorizationUpdateScopesInvalid" },
      spaceSeparated: ["scopes"],
    });
    const updated = await updateClientAuthorization(c.get("deps"), Number(serviceId), clientId, { subject: body.subject, scopes: body.scopes ?? null });
    audit(c, "client authorization updated", { serviceId: Number(serviceId), clientId: updated.client.clientId, count: updated.count });
    return c.json(resultBody("clientAuthorizationUpdated", updated.count, updated.client.clientId, Number(serviceId)), 200);
  });

  app.openapi(deleteByQueryRoute, async (c) => {
    const { serviceId, clientId } = c.req.valid("param");
    return answerDelete(c, Number(serviceId), clientId, [c.req.valid("query").subject]);
  });

  app.openapi(deleteBySubjectRoute, async (c) => {
    const { serviceId, clientId, subject } = c.req.valid("param");
    return answerDelete(c, Number(serviceId), clientId, [subject, c.req.valid("query").subject]);
  });

  openapiWithOwnBody(app, deletePostRoute, async (c, { serviceId, clientId }) => {
    const body = await readJsonOrFormBody(c, DeleteRequest, { fieldCodes: { subject: "clientAuthorizationDeleteSubjectMissing" } });
    return answerDelete(c, Number(serviceId), clientId, [body.subject]);
  });
}
