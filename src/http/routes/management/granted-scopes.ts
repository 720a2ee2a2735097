import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteGrantedScopes, getGrantedScopes } from "../../../core/client-authorization/granted-scopes.js";
import { resultBody } from "../../../core/result-codes.js";
import { authorize } from "../../auth.js";
import type { AppEnv } from "../../env.js";
import { commonErrorResponses } from "../../errors.js";
import { openapiWithOwnBody, readJsonOrFormBody } from "./json-or-form-body.js";
import { audit, ClientGetPathParams, SubjectPathParam, subjectQueryParam, subjectText } from "./params.js";

/*
 * Granted scopes (Authlete's `client/granted_scopes/*`): the consent a user gave a client, remembered
 * beyond its tokens so a login server can skip the consent page. Read and forgotten here; recorded at
 * each consent (core/client-authorization/remember-consent.ts).
 */

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const base = "/api/{serviceId}/client/granted_scopes";
const tags = ["Client authorizations"];

const sentTwice = "Optional; when given, equal to the path's (Authlete's SDK sends both).";

const GetResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    serviceApiKey: z.number().int().describe("The service's id."),
    clientId: z.number().int(),
    subject: z.string(),
    latestGrantedScopes: z.array(z.string()).optional().describe("The scopes of the last consent; absent when no consent is recorded (A140002)."),
    mergedGrantedScopes: z.array(z.string()).optional().describe("The scopes of every consent since the record was created; absent when none is recorded."),
    latestGrantedClaims: z.array(z.string()).optional().describe("[ext] The claims the user released in the last consent."),
    mergedGrantedClaims: z.array(z.string()).optional().describe("[ext] The claims of every consent since the record was created."),
    modifiedAt: z.number().int().optional().describe("When the last consent was recorded, epoch milliseconds; absent when none is recorded."),
  })
  .openapi("GrantedScopesGetResponse");

const DeleteResponse = z.object({ resultCode: z.string(), resultMessage: z.string() }).openapi("GrantedScopesDeleteResponse");
const GetRequest = z.strictObject({ subject: z.string().describe(subjectText) }).openapi("GrantedScopesGetRequest");

const clientNamed = "`clientId` is the client's number or its `clientIdAlias`; unknown, or a client of another service: 404 A003201.";
const getDescription =
  "Needs USE_SERVICE. What the subject consented to for the client at /auth/authorization/issue, or when a device or CIBA decision was redeemed: the " +
  "last consent and the union of all, scopes and [ext] claims. Never a consent is A140002 with the lists absent (Authlete's null), not an error. " +
  `No subject: 400 A140201; two different ones: 400 A140202. ${clientNamed}`;
const deleteDescription =
  "Needs USE_SERVICE. Forgets the recorded consent (A140003; A140004 when there was none): the next request of the client asks the user again. " +
  "The tokens stay as they are: /client/authorization/delete takes them back. " +
  `No subject: 400 A140201; two different ones: 400 A140202. ${clientNamed}`;

const getByQueryRoute = createRoute({
  operationId: "clientManagementGetGrantedScopesByQuery",
  method: "get",
  path: `${base}/get/{clientId}`,
  tags,
  summary: "Get the consent a user gave a client",
  description: getDescription,
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: ClientGetPathParams, query: z.object({ subject: subjectQueryParam(`Required. ${subjectText}`) }) },
  responses: { 200: json(GetResponse, "The recorded consent, or none."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const getBySubjectRoute = createRoute({
  operationId: "clientManagementGetGrantedScopes",
  method: "get",
  path: `${base}/get/{clientId}/{subject}`,
  tags,
  summary: "Get the consent a user gave a client (subject in the path)",
  description: getDescription,
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: ClientGetPathParams.extend({ subject: SubjectPathParam }), query: z.object({ subject: subjectQueryParam(sentTwice) }) },
  responses: { 200: json(GetResponse, "The recorded consent, or none."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const getPostRoute = createRoute({
  operationId: "clientManagementGetGrantedScopesPost",
  method: "post",
  path: `${base}/get/{clientId}`,
  tags,
  summary: "Get the consent a user gave a client (POST form)",
  description: getDescription,
  middleware: [authorize("USE_SERVICE", "management")],
  request: {
    params: ClientGetPathParams,
    body: { required: true, content: { "application/json": { schema: GetRequest }, "application/x-www-form-urlencoded": { schema: GetRequest } } },
  },
  responses: {
    200: json(GetResponse, "The recorded consent, or none."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

const deleteByQueryRoute = createRoute({
  operationId: "clientManagementDeleteGrantedScopesByQuery",
  method: "delete",
  path: `${base}/delete/{clientId}`,
  tags,
  summary: "Forget the consent a user gave a client",
  description: deleteDescription,
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: ClientGetPathParams, query: z.object({ subject: subjectQueryParam(`Required. ${subjectText}`) }) },
  responses: { 200: json(DeleteResponse, "Forgotten, or there was nothing to forget."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const deleteBySubjectRoute = createRoute({
  operationId: "clientManagementDeleteGrantedScopes",
  method: "delete",
  path: `${base}/delete/{clientId}/{subject}`,
  tags,
  summary: "Forget the consent a user gave a client (subject in the path)",
  description: deleteDescription,
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: ClientGetPathParams.extend({ subject: SubjectPathParam }), query: z.object({ subject: subjectQueryParam(sentTwice) }) },
  responses: { 200: json(DeleteResponse, "Forgotten, or there was nothing to forget."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

async function answerGet(c: Context<AppEnv>, serviceId: number, clientId: string, subjects: Array<string | undefined>) {
  const { client, subject, record } = await getGrantedScopes(c.get("deps"), serviceId, clientId, subjects);
  // No record: the lists are left out, not null, which Authlete's SDK would refuse.
  const body: z.infer<typeof GetResponse> = {
    ...resultBody(record ? "grantedScopesFound" : "grantedScopesNotRecorded", client.clientId),
    serviceApiKey: serviceId,
    clientId: client.clientId,
    subject,
    ...(record
      ? {
          latestGrantedScopes: record.latestGrantedScopes,
          mergedGrantedScopes: record.mergedGrantedScopes,
          latestGrantedClaims: record.latestGrantedClaims,
          mergedGrantedClaims: record.mergedGrantedClaims,
          modifiedAt: record.modifiedAt,
        }
      : {}),
  };
  return c.json(body, 200);
}

async function answerDelete(c: Context<AppEnv>, serviceId: number, clientId: string, subjects: Array<string | undefined>) {
  const { client, deleted } = await deleteGrantedScopes(c.get("deps"), serviceId, clientId, subjects);
  audit(c, "granted scopes deleted", { serviceId, clientId: client.clientId, deleted });
  return c.json(resultBody(deleted ? "grantedScopesDeleted" : "grantedScopesNothingDeleted", client.clientId), 200);
}

export function registerGrantedScopesRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getByQueryRoute, async (c) => {
    const { serviceId, clientId } = c.req.valid("param");
    return answerGet(c, Number(serviceId), clientId, [c.req.valid("query").subject]);
  });

  app.openapi(getBySubjectRoute, async (c) => {
    const { serviceId, clientId, subject } = c.req.valid("param");
    return answerGet(c, Number(serviceId), clientId, [subject, c.req.valid("query").subject]);
  });

  openapiWithOwnBody(app, getPostRoute, async (c, { serviceId, clientId }) => {
    const body = await readJsonOrFormBody(c, GetRequest, { fieldCodes: { subject: "grantedScopesSubjectMissing" } });
    return answerGet(c, Number(serviceId), clientId, [body.subject]);
  });

  app.openapi(deleteByQueryRoute, async (c) => {
    const { serviceId, clientId } = c.req.valid("param");
    return answerDelete(c, Number(serviceId), clientId, [c.req.valid("query").subject]);
  });

  app.openapi(deleteBySubjectRoute, async (c) => {
    const { serviceId, clientId, subject } = c.req.valid("param");
    return answerDelete(c, Number(serviceId), clientId, [subject, c.req.valid("query").subject]);
  });
}
