import { z } from "@hono/zod-openapi";
import { ClientExtension, ClientSettings } from "../../../domain/client.js";
import { Pair } from "../../../domain/common.js";
import { Permission } from "../../../domain/enums.js";
import { ServiceSettings } from "../../../domain/service.js";

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
  const entries = Object.entries(shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional()]);
  return Object.fromEntries(entries) as PatchShape<T>;
}

const ignored = (what: string) => z.unknown().optional().openapi({ description: `Read-only (${what}); ignored when sent.` });

const readOnlyServiceFields = {
  apiKey: ignored("assigned service id"),
  apiSecret: ignored("not used by Tessera"),
  number: ignored("Authlete's internal number"),
  serviceOwnerNumber: ignored("Authlete's owner number"),
  clientIdAliasEnabled: ignored("aliases are always enabled"),
  createdAt: ignored("set by Tessera"),
  modifiedAt: ignored("set by Tessera"),
  metadata: ignored("computed"),
};
export const readOnlyServiceKeys = Object.keys(readOnlyServiceFields);

const readOnlyClientFields = {
  clientId: ignored("assigned client id"),
  serviceId: ignored("taken from the path"),
  serviceNumber: ignored("Authlete's internal number"),
  number: ignored("Authlete's internal number"),
  clientIdAliasEnabled: ignored("aliases are always enabled"),
  locked: ignored("use client/lock_flag/update"),
  createdAt: ignored("set by Tessera"),
  modifiedAt: ignored("set by Tessera"),
};
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
    apiKey: z.number().int().openapi({ description: "The service id used in API paths (`serviceId`)." }),
    createdAt: z.number().int().openapi({ description: "Epoch milliseconds." }),
    modifiedAt: z.number().int().openapi({ description: "Epoch milliseconds." }),
    metadata: z.array(Pair).optional().openapi({ description: "Computed values, e.g. `{key: \"clientCount\", value: \"3\"}`." }),
  })
  .openapi("Service");
/** A service as the API shows it (Authlete's Service object): the domain's `serviceId` is `apiKey` here. */
export type ServiceView = z.infer<typeof ServiceSchema>;

export const ServiceListResponse = z
  .object({ start: z.number().int(), end: z.number().int(), totalCount: z.number().int(), services: z.array(ServiceSchema) })
  .openapi("ServiceGetListResponse");

const clientSettingsFields = patchShape(ClientSettings.shape);

export const ClientCreateRequest = z
  .object({ ...clientSettingsFields, ...readOnlyClientFields })
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
    clientId: z.number().int(),
    clientIdAlias: z.string().openapi({ description: "The `client_id` relying parties send." }),
    serviceId: z.number().int(),
    locked: z.boolean(),
    extension: ClientExtension.nullish(),
    createdAt: z.number().int(),
    modifiedAt: z.number().int(),
    clientSecret: z.string().optional().openapi({
      description: "Only in the response to create (and to an update that had to issue a new secret); stored hashed, never shown again.",
    }),
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
