import { type Client, ClientSettings, type ClientSettingsInput } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { OAuthError } from "../oauth-error.js";
import { resultText } from "../result-codes.js";
import { metadataNames, readMetadata } from "./client-metadata.js";

type Settings = Partial<ClientSettingsInput>;

/** Dynamic registration is off unless the service sets `dynamicRegistrationSupported`; so are reads, updates and deletes of the clients it made. */
export function refuseWhenUnsupported(service: Service): void {
  if (service.dynamicRegistrationSupported !== true) {
    throw new OAuthError("invalid_request", resultText("registrationNotSupported"), "registrationNotSupported");
  }
}

/** The `json` of the call as an object: RFC 7591 section 3.1 metadata is one JSON object. */
export function metadataOf(json: string | undefined): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = json === undefined ? undefined : JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new OAuthError("invalid_client_metadata", resultText("registrationJsonInvalid"), "registrationJsonInvalid");
  }
  // A software_statement in it is verified and applied by withSoftwareStatement (software-statement.ts).
  return parsed as Record<string, unknown>;
}

/**
 * The Client settings a registration request describes, with RFC 7591 section 2's defaults where the
 * metadata is silent: `client_secret_basic`, the `authorization_code` grant and the `code` response type.
 * A client authenticating with `none` is PUBLIC, any other CONFIDENTIAL (RFC 7591 section 2). With
 * `dcrScopeUsedAsRequestable`, `scope` becomes the client's requestable scopes; custom metadata the
 * service lists is kept in `customMetadata`.
 */
export function settingsOfMetadata(service: Service, metadata: Record<string, unknown>, current?: Client): Settings {
  const read = readMetadata(metadata, service.supportedCustomClientMetadata ?? []);
  const settings: Settings = { ...read.settings };
  settings.tokenAuthMethod ??= "CLIENT_SECRET_BASIC";
  settings.clientType = settings.tokenAuthMethod === "NONE" ? "PUBLIC" : "CONFIDENTIAL";
  settings.grantTypes ??= ["AUTHORIZATION_CODE"];
  settings.responseTypes ??= settings.grantTypes.includes("AUTHORIZATION_CODE") ? ["CODE"] : [];
  settings.customMetadata = Object.keys(read.custom).length > 0 ? JSON.stringify(read.custom) : null;
  if (service.dcrScopeUsedAsRequestable === true) {
    const kept = current?.extension ?? {};
    settings.extension = read.scopes
      ? { ...kept, requestableScopesEnabled: true, requestableScopes: read.scopes }
      : { ...kept, requestableScopesEnabled: false, requestableScopes: null };
  }
  return settings;
}

/** Every Client field the metadata table fills, each at its default (null, or the static default): what RFC 7592 section 2.2 makes of an omitted field. */
export function clearedMetadataFields(): Settings {
  const cleared: Record<string, unknown> = {};
  const shape = ClientSettings.shape as Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }>;
  for (const entry of Object.values(metadataNames)) {
    for (const field of [entry.field, entry.localized].filter((name) => name !== undefined)) {
      const fallback = shape[field]!.safeParse(undefined);
      cleared[field] = fallback.success && fallback.data !== undefined ? fallback.data : null;
    }
  }
  return cleared as Settings;
}

/** The scopes to answer as `scope`: the requestable scopes, when the service takes `scope` as them. */
export function scopesOf(service: Service, client: Client): string[] | null {
  if (service.dcrScopeUsedAsRequestable !== true || !client.extension?.requestableScopesEnabled) return null;
  return client.extension.requestableScopes ?? null;
}

/** RFC 7592 section 1: where the client reads, updates and deletes its registration; the management endpoint, else the registration endpoint, plus the client_id. */
export function registrationClientUri(service: Service, client: Client): string | null {
  const base = service.registrationManagementEndpoint ?? service.registrationEndpoint;
  if (!base) return null;
  return `${base.replace(/\/+$/, "")}/${encodeURIComponent(client.clientIdAlias)}`;
}
