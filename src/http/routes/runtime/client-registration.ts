import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteRegisteredClient, readRegisteredClient, updateRegisteredClient } from "../../../core/registration/manage-registered-client.js";
import { registerClient, registrationFailure } from "../../../core/registration/register-client.js";
import type { RegistrationOutcome } from "../../../core/registration/registration-outcome.js";
import type { Context } from "hono";
import type { Service } from "../../../domain/service.js";
import type { AppEnv } from "../../env.js";
import { requestIdOf } from "../../request-id.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import {
  clientRegistrationReadRequestFields,
  clientRegistrationRequestFields,
  clientRegistrationUpdateRequestFields,
} from "../../runtime-requests/client-registration-requests.js";
import { ClientSchema, withoutNulls } from "../management/wire-schemas.js";
import { requireService } from "./runtime-support.js";

const ClientRegistrationRequest = runtimeRequest("ClientRegistrationRequest", clientRegistrationRequestFields);
const ClientRegistrationReadRequest = runtimeRequest("ClientRegistrationReadRequest", clientRegistrationReadRequestFields);
const ClientRegistrationUpdateRequest = runtimeRequest("ClientRegistrationUpdateRequest", clientRegistrationUpdateRequestFields);

const ClientRegistrationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["CREATED", "OK", "UPDATED", "DELETED", "BAD_REQUEST", "UNAUTHORIZED", "INTERNAL_SERVER_ERROR"]),
    responseContent: z
      .string()
      .optional()
      .describe(
        "CREATED, OK, UPDATED: the client information response (RFC 7591 section 3.2.1) to relay as JSON. BAD_REQUEST, UNAUTHORIZED, INTERNAL_SERVER_ERROR: the JSON error body. None for DELETED.",
      ),
    client: ClientSchema.optional().describe("The client registered, read, updated or deleted (Authlete's Client object)."),
  })
  .openapi("ClientRegistrationResponse");

const relay =
  "Relay with `Content-Type: application/json` and `Cache-Control: no-store`: CREATED → 201 `responseContent`; OK and UPDATED → 200 `responseContent`; DELETED → 204; " +
  "BAD_REQUEST → 400, UNAUTHORIZED → 401 and INTERNAL_SERVER_ERROR → 500, each with `responseContent`. Off unless the service sets `dynamicRegistrationSupported`.";

interface Call {
  c: Context<AppEnv>;
  serviceId: number;
}

/** The service of the path must exist (404 otherwise); then Tessera's own failure is answered inside the protocol, as Authlete answers its own. */
function answering<I extends Call>(what: string, run: (input: I, service: Service) => Promise<RegistrationOutcome>) {
  return async (input: I) => {
    const service = await requireService(input.c, input.serviceId);
    try {
      const outcome = await run(input, service);
      return outcome.client ? { ...outcome, client: withoutNulls(outcome.client) } : outcome;
    } catch (error) {
      const requestId = requestIdOf(input.c);
      input.c.get("deps").logger.error({ err: error, requestId, serviceId: input.serviceId }, `${what} failed`);
      return registrationFailure(requestId);
    }
  };
}

/** `/client/registration`, `/get`, `/update`, `/delete` (Authlete API v3; RFC 7591 and RFC 7592). */
export function registerClientRegistrationRoutes(app: OpenAPIHono<AppEnv>): void {
  const common = { tag: "Dynamic client registration", requirement: "USE_SERVICE", rateLimitCategory: "management", response: ClientRegistrationResponse } as const;
  registerRuntimeOperation(
    app,
    {
      ...common,
      operationId: "clientRegistrationCreate",
      path: "/client/registration",
      summary: "Register a client (RFC 7591)",
      description: `Backend of the registration endpoint: relay the client's JSON body as \`json\`. ${relay}`,
      request: ClientRegistrationRequest,
    },
    answering("client registration", ({ c, body }, service) => registerClient(c.get("deps"), service, body.json)),
  );
  registerRuntimeOperation(
    app,
    {
      ...common,
      operationId: "clientRegistrationGet",
      path: "/client/registration/get",
      summary: "Read a registered client (RFC 7592)",
      description: `Backend of the client configuration endpoint's GET: relay the client_id of the path as \`clientId\` and the bearer token as \`token\`. ${relay}`,
      request: ClientRegistrationReadRequest,
    },
    answering("client registration read", ({ c, body }, service) => readRegisteredClient(c.get("deps"), service, body)),
  );
  registerRuntimeOperation(
    app,
    {
      ...common,
      operationId: "clientRegistrationUpdate",
      path: "/client/registration/update",
      summary: "Update a registered client (RFC 7592)",
      description: `Backend of the client configuration endpoint's PUT: \`clientId\` and \`token\` as for a read, the JSON body as \`json\`. ${relay}`,
      request: ClientRegistrationUpdateRequest,
    },
    answering("client registration update", ({ c, body }, service) => updateRegisteredClient(c.get("deps"), service, body)),
  );
  registerRuntimeOperation(
    app,
    {
      ...common,
      operationId: "clientRegistrationDelete",
      path: "/client/registration/delete",
      summary: "Delete a registered client (RFC 7592)",
      description: `Backend of the client configuration endpoint's DELETE: \`clientId\` and \`token\` as for a read. ${relay}`,
      request: ClientRegistrationReadRequest,
    },
    answering("client registration delete", ({ c, body }, service) => deleteRegisteredClient(c.get("deps"), service, body)),
  );
}
