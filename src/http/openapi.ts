import type { OpenAPIHono } from "@hono/zod-openapi";
import { type Requirement, requirementOf } from "./auth.js";
import type { AppEnv } from "./env.js";
import { permissionDeniedResponse } from "./errors.js";
import { fieldGlossary } from "./field-glossary.js";
import { operationExamples } from "./operation-examples.js";
import { openApiPathOf } from "./route-path.js";

const documentConfig = {
  openapi: "3.1.0",
  info: {
    title: "Tessera API",
    version: "0.1.0",
    description:
      "Headless OAuth 2.0 and OpenID Connect authorization backend. Management endpoints register services and clients; runtime endpoints take the raw protocol request a login server received and answer with an `action` and the `responseContent` to relay. Paths and fields follow Authlete API v3.",
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
  },
  // Relative, so the document holds wherever Tessera runs: Swagger UI ("Try it out") and other tools
  // resolve it against the URL the document was fetched from, a proxy's public origin included.
  servers: [{ url: "/", description: "The Tessera that serves this document (relative to where it was fetched from)." }],
  security: [{ bearer: [] }],
  tags: [
    { name: "Health", description: "Liveness and readiness." },
    { name: "Services", description: "Services (tenants) and their settings." },
    { name: "API tokens", description: "Service access tokens with permissions." },
    { name: "Clients", description: "Client applications of a service." },
    {
      name: "Dynamic client registration",
      description: "Client registration endpoint backend (RFC 7591) and client configuration endpoint backend (RFC 7592): clients that register, read, update and delete themselves.",
    },
    {
      name: "Client authorizations",
      description: "What users authorized clients: the clients a user holds tokens of (listed, narrowed, taken back) and the consent remembered for each (granted scopes).",
    },
    { name: "Authorization", description: "Authorization endpoint backend." },
    { name: "Pushed authorization", description: "Pushed authorization request endpoint backend (RFC 9126)." },
    { name: "CIBA", description: "Client-Initiated Backchannel Authentication (OpenID Connect CIBA Core 1.0): the backchannel authentication endpoint backend and the login server's /issue, /fail and /complete." },
    { name: "Device flow", description: "Device authorization grant (RFC 8628): the device authorization endpoint backend and the login server's /verification and /complete." },
    { name: "Token", description: "Token endpoint backend." },
    {
      name: "Native SSO",
      description: "OpenID Connect Native SSO for Mobile Apps: the token response with the device secret (/nativesso), and logging a login session out of every app.",
    },
    { name: "Token management", description: "Tokens outside a flow: list them by hash, delete or revoke them (by token, client or subject)." },
    { name: "Introspection", description: "Token introspection." },
    { name: "Revocation", description: "Token revocation." },
    { name: "UserInfo", description: "UserInfo endpoint backend." },
    { name: "Grant management", description: "Grant management endpoint backend (Grant Management for OAuth 2.0): query or revoke a grant." },
    { name: "JOSE", description: "Verification of a JWS for a login server that checks one on its own (/jose/verify)." },
    { name: "Discovery", description: "OpenID Provider metadata and signing keys." },
  ],
};

/** The OpenAPI 3.1 document of every registered route, in a stable order. */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>): Record<string, unknown> {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An organization (admin) token or a service access token.",
  });
  attachExamples(app);
  const document = app.getOpenAPI31Document(documentConfig) as unknown as Record<string, unknown>;
  describeFromGlossary(document, "");
  return sortKeysDeep(document) as Record<string, unknown>;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const hasDescription = (schema: Json) =>
  typeof schema.description === "string" || (Array.isArray(schema.allOf) && schema.allOf.some((part) => isObject(part) && typeof part.description === "string"));

/** Gives each undescribed property the glossary's text; `parent` is the property that holds the object. */
function describeFromGlossary(node: unknown, parent: string): void {
  if (Array.isArray(node)) {
    for (const item of node) describeFromGlossary(item, parent);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    // Examples are data, not schemas: a `properties` key in one is a field of the example.
    if (key === "example" || key === "examples") continue;
    if (key === "properties" && isObject(value)) {
      for (const [name, property] of Object.entries(value)) {
        if (!isObject(property)) continue;
        const text = fieldGlossary[`${parent}.${name}`] ?? fieldGlossary[name];
        if (!hasDescription(property) && text) property.description = text;
        describeFromGlossary(property, name);
      }
    } else {
      describeFromGlossary(value, parent);
    }
  }
}

interface MediaType {
  example?: unknown;
}
interface RouteLike {
  operationId?: string;
  method: string;
  path: string;
  request?: { body?: { content?: Record<string, MediaType> } };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}

/**
 * Puts each operation's request and 200 examples on its media types, and a 403 naming the permission its
 * `authorize` middleware requires, before the document is generated.
 */
function attachExamples(app: OpenAPIHono<AppEnv>): void {
  // The registry keeps no middleware, so the requirement is read from the handlers hono registered.
  const requirements = new Map<string, Requirement>();
  for (const registered of app.routes) {
    const requirement = requirementOf(registered.handler);
    if (requirement !== undefined) requirements.set(`${registered.method} ${openApiPathOf(registered.path)}`, requirement);
  }
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== "route") continue;
    const route = definition.route as RouteLike;
    const requirement = requirements.get(`${route.method.toUpperCase()} ${route.path}`);
    // New objects: the common 403, and a responses map, may be shared by several routes.
    if (requirement !== undefined && route.responses?.["403"]) route.responses = { ...route.responses, 403: permissionDeniedResponse(requirement) };
    const example = route.operationId ? operationExamples[route.operationId] : undefined;
    if (!example) continue;
    if (example.request !== undefined) for (const media of Object.values(route.request?.body?.content ?? {})) media.example = example.request;
    if (example.response !== undefined) {
      const media = route.responses?.["200"]?.content?.["application/json"];
      if (media) media.example = example.response;
    }
  }
}

/** Paths and component names sorted so the committed file only changes when the API does. */
function sortKeysDeep(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item, depth + 1));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  // Only the maps whose order is arbitrary get sorted; schema property order stays as written.
  const sortable = depth <= 2;
  if (sortable) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v, depth + 1)]));
}
