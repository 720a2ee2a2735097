import { z } from "@hono/zod-openapi";
import { ClientSettings } from "../../../domain/client.js";
import { clientAssignedFields, clientExtensionFields } from "../../../domain/client-fields.js";
import { Permission } from "../../../domain/enums.js";
import { type FieldTable, shapeOf } from "../../../domain/field-support.js";
import { ServiceSettings } from "../../../domain/service.js";
import { serviceAssignedFields } from "../../../domain/service-fields.js";

/**
 * Wire shapes of the management API, built from the domain schemas so the two cannot drift.
 * Responses follow Authlete's Service and Client objects (the official SDK parses them); request
 * bodies reject unknown fields, so a setting Tessera does not implement is never silently ignored,
 * but accept (and ignore) the read-only fields a previous GET returned, so a read-modify-write works.
 */

/** The same shape with every field optional and no defaults: what an update (merge) accepts. */
type PatchShape<T extends Record<string, z.ZodType>> = {
  [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer Inner> ? Inner : T[K]>;
};
function patchShape<T extends Record<string, z.ZodType>>(shape: T): PatchShape<T> {
  // The description sits on the outer (default) schema: carried over, or the update body would lose it.
  const entries = Object.entries(shape).map(([key, field]) => {
    const inner = (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional();
    return [key, field.description ? inner.describe(field.description) : inner];
  });
  return Object.fromEntries(entries) as PatchShape<T>;
}

const ignored = (what: string) => z.unknown().optional().openapi({ description: `Read-only (${what}); ignored when sent.` });

/** Assigned fields are typed in responses and accepted (whatever their value) and ignored in requests. */
function ignoredWhenSent<T extends FieldTable>(table: T): { [K in keyof T]: z.ZodOptional<z.ZodUnknown> } {
  return Object.fromEntries(Object.entries(table).map(([name, entry]) => [name, ignored(entry.note)])) as { [K in keyof T]: z.ZodOptional<z.ZodUnknown> };
}

const readOnlyServiceFields = ignoredWhenSent(serviceAssignedFields);
export const readOnlyServiceKeys = Object.keys(readOnlyServiceFields);

// `clientSecret` is no read-only field: create keeps an imported one; update refuses it (client/secret/update changes it).
const { clientSecret: _secret, ...clientFieldsIgnoredWhenSent } = clientAssignedFields;
const readOnlyClientFields = ignoredWhenSent(clientFieldsIgnoredWhenSent);
export const readOnlyClientKeys = Object.keys(readOnlyClientFields);

export const ServiceCreateRequest = z
  .object({ ...ServiceSettings.shape, ...readOnlyServiceFields })
  .strict()
  .openapi("ServiceCreateRequest", { description: "Settings of a new service; omitted fields take their defaults." });

export const ServiceUpdateRequest = z
  .object({ ...patchShape(ServiceSettings.shape), ...readOnlyServiceFields })
  .strict()
  .openapi("ServiceUpdateRequest", {
    description: "Fields to change. Present fields replace the stored values (null clears an optional one); absent fields stay.",
  });

export const ServiceSchema = z
  .object({
    ...ServiceSettings.shape,
    ...shapeOf(serviceAssignedFields),
    apiKey: serviceAssignedFields.apiKey.schema.unwrap(),
    createdAt: serviceAssignedFields.createdAt.schema.unwrap(),
    modifiedAt: serviceAssignedFields.modifiedAt.schema.unwrap(),
  })
  .openapi("Service");
/** A service as the API shows it (Authlete's Service object): the domain's `serviceId` is `apiKey` here. */
export type ServiceView = z.infer<typeof ServiceSchema>;

export const ServiceListResponse = z
  .object({ start: z.number().int(), end: z.number().int(), totalCount: z.number().int(), services: z.array(ServiceSchema) })
  .openapi("ServiceGetListResponse");

const clientSettingsFields = patchShape(ClientSettings.shape);

export const ClientCreateRequest = z
  .object({
    ...clientSettingsFields,
    ...readOnlyClientFields,
    clientSecret: z.string().optional().openapi({
      description:
        "The secret of a client imported from elsewhere (an Authlete export carries it), kept instead of a generated one; the rules of client/secret/update apply. Ignored for PUBLIC clients, which have no secret.",
    }),
  })
  .strict()
  .openapi("ClientCreateRequest", {
    description:
      "Metadata of a new client. Defaults: CONFIDENTIAL, CLIENT_SECRET_BASIC (NONE for PUBLIC), grant types AUTHORIZATION_CODE and REFRESH_TOKEN, response types CODE when AUTHORIZATION_CODE is registered, idTokenSignAlg RS256, subjectType PUBLIC.",
  });

export const ClientUpdateRequest = z
  .object({ ...clientSettingsFields, ...readOnlyClientFields })
  .strict()
  .openapi("ClientUpdateRequest", {
    description: "Fields to change. Present fields replace the stored values (null clears an optional one); absent fields stay.",
  });

export const ClientSchema = z
  .object({
    ...ClientSettings.shape,
    ...shapeOf(clientAssignedFields),
    clientId: clientAssignedFields.clientId.schema.unwrap(),
    clientIdAlias: z.string().openapi({ description: "The `client_id` relying parties send." }),
    serviceId: clientAssignedFields.serviceId.schema.unwrap(),
    locked: clientAssignedFields.locked.schema.unwrap(),
    createdAt: clientAssignedFields.createdAt.schema.unwrap(),
    modifiedAt: clientAssignedFields.modifiedAt.schema.unwrap(),
  })
  .openapi("Client");

export const ClientListResponse = z
  .object({ start: z.number().int(), end: z.number().int(), totalCount: z.number().int(), clients: z.array(ClientSchema) })
  .openapi("ClientGetListResponse");

const resultFields = { resultCode: z.string(), resultMessage: z.string() };

export const ClientSecretRefreshResponse = z
  .object({
    ...resultFields,
    newClientSecret: z.string(),
    oldClientSecret: z.string().optional().openapi({
      description: "Present only when the old secret was recoverable (CLIENT_SECRET_JWT clients keep it sealed); otherwise only its hash was stored.",
    }),
  })
  .openapi("ClientSecretRefreshResponse");

export const ClientSecretUpdateRequest = z
  .object({
    clientSecret: z.string().openapi({ description: "43–256 printable ASCII characters with at least 128 bits of estimated entropy." }),
  })
  .strict()
  .openapi("ClientSecretUpdateRequest");

export const ClientSecretUpdateResponse = ClientSecretRefreshResponse.openapi("ClientSecretUpdateResponse");

export const ClientLockFlagUpdateRequest = z.object({ clientLocked: z.boolean() }).strict().openapi("ClientLockFlagUpdateRequest");

export const ClientFlagUpdateResponse = z.object(resultFields).openapi("ClientFlagUpdateResponse");

/** Authlete's requestable-scopes objects; no list means the feature is off (Authlete's null, left out as every null is). */
export const RequestableScopesResponse = z
  .object({
    requestableScopes: z.array(z.string()).optional().openapi({
      description: "The scopes the client may request; absent when the client may request every scope the service supports.",
    }),
  })
  .openapi("ClientExtensionRequestableScopesResponse");

export const RequestableScopesUpdateRequest = z
  .object({
    requestableScopes: clientExtensionFields.requestableScopes.schema.openapi({
      description: "The scopes the client may request from now on ([] for none). Absent or null turns the list off, as requestable_scopes/delete does.",
    }),
  })
  .strict()
  .openapi("ClientExtensionRequestableScopesUpdateRequest");

export const ApiTokenSchema = z
  .object({
    id: z.string().openapi({ description: "Identifier used to delete the token." }),
    serviceId: z.number().int(),
    permissions: z.array(Permission),
    description: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi("ApiToken");

export const ApiTokenCreateRequest = z
  .object({
    permissions: z.array(Permission).min(1).max(20),
    description: z.string().max(200).nullish(),
  })
  .strict()
  .openapi("ApiTokenCreateRequest");

export const ApiTokenCreateResponse = z
  .object({
    ...resultFields,
    apiToken: ApiTokenSchema,
    accessToken: z.string().openapi({ description: "The bearer value. Shown only in this response; Tessera keeps its SHA-256 hash." }),
  })
  .openapi("ApiTokenCreateResponse");

export const ApiTokenListResponse = z.object({ ...resultFields, apiTokens: z.array(ApiTokenSchema) }).openapi("ApiTokenGetListResponse");

/** Drops keys whose value is null (deeply): Authlete's SDK models optional fields as absent, not null. */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item !== null && item !== undefined) out[key] = withoutNulls(item);
  }
  return out as T;
}

/** Removes the keys a caller may echo from a GET but not write. */
export function withoutKeys<T extends Record<string, unknown>>(body: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = { ...body };
  for (const key of keys) delete out[key];
  return out as T;
}
