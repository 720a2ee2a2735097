import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { JSONValue } from "hono/utils/types";
import { applyConfigurationPatch } from "../../../core/discovery/apply-configuration-patch.js";
import { buildConfiguration } from "../../../core/discovery/build-configuration.js";
import { publicJwks } from "../../../core/keys/public-jwks.js";
import { shapeOf } from "../../../domain/field-support.js";
import { authorize } from "../../auth.js";
import type { AppEnv } from "../../env.js";
import { ApiError, commonErrorResponses } from "../../errors.js";
import { ServiceIdParam } from "../../runtime-operation.js";
import { configurationQueryFields, jwksQueryFields } from "../../runtime-requests/discovery-queries.js";
import { requireService } from "./runtime-support.js";

const { 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 } = commonErrorResponses;

/** `pretty=true` (Authlete's query parameter): the JSON answer is re-serialised with indentation. */
const prettyWhenAsked: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.query("pretty") !== "true" || c.res.status !== 200) return;
  const value: unknown = await c.res.json();
  c.res = new Response(JSON.stringify(value, null, 2), { status: 200, headers: c.res.headers });
  c.res.headers.delete("content-length");
};

const Params = z.object({ serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }) });

const ConfigurationQuery = z.object(shapeOf(configurationQueryFields));
const JwksQuery = z.object(shapeOf(jwksQueryFields));

const ProviderMetadata = z
  .record(z.string(), z.unknown())
  .openapi("ProviderMetadata", { description: "OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414 §2)." });

const configurationRoute = createRoute({
  operationId: "serviceGetConfiguration",
  method: "get",
  path: "/api/{serviceId}/service/configuration",
  tags: ["Discovery"],
  summary: "OpenID Provider metadata of the service",
  description:
    "The document to serve at `/.well-known/openid-configuration` (and `/.well-known/oauth-authorization-server`), built from the service's settings. " +
    "Only what Tessera supports is advertised. Needs VIEW_SERVICE (USE_SERVICE includes it).",
  middleware: [authorize("VIEW_SERVICE", "management"), prettyWhenAsked],
  request: { params: Params, query: ConfigurationQuery },
  responses: {
    200: { description: "The metadata document.", content: { "application/json": { schema: ProviderMetadata } } },
    400: e400,
    401: e401,
    403: e403,
    404: e404,
    429: e429,
    500: e500,
  },
});

const Jwk = z.record(z.string(), z.unknown()).openapi("Jwk", { description: "A public JSON Web Key (RFC 7517)." });
const JwkSet = z.object({ keys: z.array(Jwk) }).openapi("ServiceJwksGetResponse");

const jwksRoute = createRoute({
  operationId: "serviceJwksGet",
  method: "get",
  path: "/api/{serviceId}/service/jwks/get",
  tags: ["Discovery"],
  summary: "Public JWK Set of the service",
  description:
    "The document to serve at the service's `jwks_uri`: the public signing keys, including keys published ahead of their activation " +
    "and keys kept after a rotation until their tokens expire. Private keys are never exported. Needs VIEW_SERVICE.",
  middleware: [authorize("VIEW_SERVICE", "management"), prettyWhenAsked],
  request: {
    params: Params,
    query: JwksQuery,
  },
  responses: {
    200: { description: "The JWK Set.", content: { "application/json": { schema: JwkSet } } },
    400: e400,
    401: e401,
    403: e403,
    404: e404,
    429: e429,
    500: e500,
  },
});


export function registerDiscoveryRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(configurationRoute, async (c) => {
    const { serviceId } = c.req.valid("param");
    const { patch } = c.req.valid("query");
    const service = await requireService(c, Number(serviceId));
    const configuration = buildConfiguration(service);
    const document = patch !== undefined && patch !== "" ? applyConfigurationPatch(configuration, patch) : configuration;
    return c.json(document as Record<string, JSONValue>, 200);
  });

  app.openapi(jwksRoute, async (c) => {
    const deps = c.get("deps");
    const { serviceId } = c.req.valid("param");
    const { includePrivateKeys } = c.req.valid("query");
    if (includePrivateKeys === true) throw new ApiError("jwksPrivateKeysRefused");
    const service = await requireService(c, Number(serviceId));
    const jwks = publicJwks(await deps.store.listSigningKeys(service.serviceId), deps.now());
    return c.json(jwks as { keys: Array<Record<string, JSONValue>> }, 200);
  });
}
