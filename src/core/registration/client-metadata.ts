import type { Client, ClientSettingsInput } from "../../domain/client.js";
import type { TaggedValue } from "../../domain/common.js";
import {
  ApplicationType,
  clientAuthMethodWire,
  DeliveryMode,
  grantTypeWire,
  JwsAlg,
  jweAlgWire,
  jweEncWire,
  type ResponseType,
  responseTypeWords,
  SubjectType,
} from "../../domain/enums.js";
import { OAuthError } from "../oauth-error.js";

/**
 * RFC 7591 section 2 and OpenID Connect Dynamic Client Registration section 2 metadata, each name
 * with the field of Authlete's Client object it stands for and how its value is written on each side.
 * One table reads a registration request and writes the registration response, so the two agree.
 */

type Settings = Partial<ClientSettingsInput>;
type Field = keyof Settings;

interface Codec {
  /** The metadata value as the field's value; undefined when the value has the wrong shape. */
  read(value: unknown): unknown;
  /** The field's value as metadata; undefined when there is nothing to say. */
  write(value: unknown): unknown;
}

const isString = (value: unknown): value is string => typeof value === "string";
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const same = (value: unknown) => (value === null ? undefined : value);

const text: Codec = { read: (value) => (isString(value) ? value : undefined), write: same };
const texts: Codec = { read: (value) => (isStrings(value) ? value : undefined), write: same };
const flag: Codec = { read: (value) => (typeof value === "boolean" ? value : undefined), write: same };
const integer: Codec = { read: (value) => (Number.isSafeInteger(value) && (value as number) >= 0 ? value : undefined), write: same };

/** A wire value through a table of Authlete names (`RSA-OAEP` ↔ `RSA_OAEP`). */
function wire(table: Readonly<Record<string, string>>): Codec {
  const byWire = new Map(Object.entries(table).map(([name, value]) => [value, name]));
  return { read: (value) => (isString(value) ? byWire.get(value) : undefined), write: (value) => (isString(value) ? table[value] : undefined) };
}

/** Upper-case wire values (`web` ↔ `WEB`, `pairwise` ↔ `PAIRWISE`) of a zod enum. */
function upper(options: readonly string[]): Codec {
  return {
    read: (value) => (isString(value) && options.includes(value.toUpperCase()) ? value.toUpperCase() : undefined),
    write: (value) => (isString(value) ? value.toLowerCase() : undefined),
  };
}

/** JWS algorithms keep their names, except `none` (Authlete's NONE). */
const jwsAlg: Codec = {
  read: (value) => (value === "none" ? "NONE" : isString(value) && value !== "NONE" && (JwsAlg.options as readonly string[]).includes(value) ? value : undefined),
  write: (value) => (value === "NONE" ? "none" : same(value)),
};

const responseTypeByWords = new Map(
  (Object.entries(responseTypeWords) as Array<[ResponseType, readonly string[]]>).map(([name, words]) => [[...words].sort().join(" "), name]),
);
/** Response types are sets of words, in any order on the wire (RFC 6749 section 3.1.1). */
const responseTypes: Codec = {
  read: (value) => {
    if (!isStrings(value)) return undefined;
    const names = value.map((type) => responseTypeByWords.get(type.split(" ").filter(Boolean).sort().join(" ")));
    return names.every((name) => name !== undefined) ? names : undefined;
  },
  write: (value) => (Array.isArray(value) ? value.map((name) => responseTypeWords[name as ResponseType].join(" ")) : undefined),
};

const grantTypes: Codec = {
  read: (value) => {
    if (!isStrings(value)) return undefined;
    const names = value.map((type) => wire(grantTypeWire).read(type));
    return names.every((name) => name !== undefined) ? names : undefined;
  },
  write: (value) => (Array.isArray(value) ? value.map((name) => wire(grantTypeWire).write(name)) : undefined),
};

/** `jwks` is a JSON object in metadata and a JWK Set document (a string) in the Client object. */
const jwks: Codec = {
  read: (value) => (value !== null && typeof value === "object" && !Array.isArray(value) ? JSON.stringify(value) : undefined),
  write: (value) => (isString(value) ? JSON.parse(value) : undefined),
};

/** One metadata name and the Client field it stands for; `localized` names the field of its `#tag` variants (OIDC Registration section 2.1). */
interface Entry {
  field: Field;
  codec: Codec;
  localized?: Field;
}

export const metadataNames: Readonly<Record<string, Entry>> = {
  redirect_uris: { field: "redirectUris", codec: texts },
  token_endpoint_auth_method: { field: "tokenAuthMethod", codec: wire(clientAuthMethodWire) },
  token_endpoint_auth_signing_alg: { field: "tokenAuthSignAlg", codec: jwsAlg },
  grant_types: { field: "grantTypes", codec: grantTypes },
  response_types: { field: "responseTypes", codec: responseTypes },
  application_type: { field: "applicationType", codec: upper(ApplicationType.options) },
  client_name: { field: "clientName", codec: text, localized: "clientNames" },
  logo_uri: { field: "logoUri", codec: text, localized: "logoUris" },
  client_uri: { field: "clientUri", codec: text, localized: "clientUris" },
  policy_uri: { field: "policyUri", codec: text, localized: "policyUris" },
  tos_uri: { field: "tosUri", codec: text, localized: "tosUris" },
  contacts: { field: "contacts", codec: texts },
  jwks_uri: { field: "jwksUri", codec: text },
  jwks: { field: "jwks", codec: jwks },
  software_id: { field: "softwareId", codec: text },
  software_version: { field: "softwareVersion", codec: text },
  sector_identifier_uri: { field: "sectorIdentifierUri", codec: text },
  subject_type: { field: "subjectType", codec: upper(SubjectType.options) },
  id_token_signed_response_alg: { field: "idTokenSignAlg", codec: jwsAlg },
  id_token_encrypted_response_alg: { field: "idTokenEncryptionAlg", codec: wire(jweAlgWire) },
  id_token_encrypted_response_enc: { field: "idTokenEncryptionEnc", codec: wire(jweEncWire) },
  userinfo_signed_response_alg: { field: "userInfoSignAlg", codec: jwsAlg },
  userinfo_encrypted_response_alg: { field: "userInfoEncryptionAlg", codec: wire(jweAlgWire) },
  userinfo_encrypted_response_enc: { field: "userInfoEncryptionEnc", codec: wire(jweEncWire) },
  request_object_signing_alg: { field: "requestSignAlg", codec: jwsAlg },
  request_object_encryption_alg: { field: "requestEncryptionAlg", codec: wire(jweAlgWire) },
  request_object_encryption_enc: { field: "requestEncryptionEnc", codec: wire(jweEncWire) },
  authorization_signed_response_alg: { field: "authorizationSignAlg", codec: jwsAlg },
  authorization_encrypted_response_alg: { field: "authorizationEncryptionAlg", codec: wire(jweAlgWire) },
  authorization_encrypted_response_enc: { field: "authorizationEncryptionEnc", codec: wire(jweEncWire) },
  default_max_age: { field: "defaultMaxAge", codec: integer },
  require_auth_time: { field: "authTimeRequired", codec: flag },
  default_acr_values: { field: "defaultAcrs", codec: texts },
  initiate_login_uri: { field: "loginUri", codec: text },
  request_uris: { field: "requestUris", codec: texts },
  post_logout_redirect_uris: { field: "postLogoutRedirectUris", codec: texts },
  require_pushed_authorization_requests: { field: "parRequired", codec: flag },
  require_signed_request_object: { field: "requestObjectRequired", codec: flag },
  authorization_details_types: { field: "authorizationDetailsTypes", codec: texts },
  tls_client_auth_subject_dn: { field: "tlsClientAuthSubjectDn", codec: text },
  tls_client_auth_san_dns: { field: "tlsClientAuthSanDns", codec: text },
  tls_client_auth_san_uri: { field: "tlsClientAuthSanUri", codec: text },
  tls_client_auth_san_ip: { field: "tlsClientAuthSanIp", codec: text },
  tls_client_auth_san_email: { field: "tlsClientAuthSanEmail", codec: text },
  tls_client_certificate_bound_access_tokens: { field: "tlsClientCertificateBoundAccessTokens", codec: flag },
  dpop_bound_access_tokens: { field: "dpopRequired", codec: flag },
  backchannel_token_delivery_mode: { field: "bcDeliveryMode", codec: { read: upper(DeliveryMode.options).read, write: upper(DeliveryMode.options).write } },
  backchannel_client_notification_endpoint: { field: "bcNotificationEndpoint", codec: text },
  backchannel_authentication_request_signing_alg: { field: "bcRequestSignAlg", codec: jwsAlg },
  backchannel_user_code_parameter: { field: "bcUserCodeRequired", codec: flag },
  organization_name: { field: "organizationName", codec: text },
};

/**
 * Names the server assigns (RFC 7591 section 3.2.1): ignored in a request, as RFC 7592 section 2.2
 * tells the server to ignore them in an update, except `client_id` and `client_secret`, which an update
 * checks against the client (`manage-registered-client.ts`).
 */
export const assignedNames = new Set([
  "client_id",
  "client_secret",
  "registration_access_token",
  "registration_client_uri",
  "client_id_issued_at",
  "client_secret_expires_at",
]);

const invalid = (name: string, why: string) => new OAuthError("invalid_client_metadata", `${name} ${why}`, "registrationMetadataInvalid", [name, why]);

/** What a registration request's metadata says of the client, before the rules every client follows. */
export interface ReadMetadata {
  settings: Settings;
  /** Metadata outside the table that the service lists in `supportedCustomClientMetadata`, kept as they came. */
  custom: Record<string, unknown>;
  /** `scope` (RFC 7591 section 2), used only when the service sets `dcrScopeUsedAsRequestable`. */
  scopes: string[] | null;
}

/** Reads metadata names into Client fields; names neither in the table nor custom are ignored (RFC 7591 section 2). */
export function readMetadata(metadata: Record<string, unknown>, customNames: readonly string[]): ReadMetadata {
  const settings: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const tagged = new Map<Field, TaggedValue[]>();
  let scopes: string[] | null = null;
  for (const [name, value] of Object.entries(metadata)) {
    const [base, tag] = name.split("#", 2) as [string, string | undefined];
    const entry = metadataNames[base];
    if (entry && tag !== undefined) {
      if (!entry.localized) throw invalid(name, "cannot carry a language tag");
      if (!isString(value)) throw invalid(name, "must be a string");
      tagged.set(entry.localized, [...(tagged.get(entry.localized) ?? []), { tag, value }]);
    } else if (entry) {
      if (value === null) continue;
      const read = entry.codec.read(value);
      if (read === undefined) throw invalid(name, "has a value of the wrong type, or one this server does not know");
      settings[entry.field] = read;
    } else if (name === "scope") {
      if (!isString(value)) throw invalid(name, "must be a string of space-separated scopes");
      scopes = value.split(" ").filter(Boolean);
    } else if (customNames.includes(name)) {
      custom[name] = value;
    }
  }
  for (const [field, values] of tagged) settings[field] = values;
  return { settings: settings as Settings, custom, scopes };
}

/** The client's metadata as RFC 7591 section 3.2.1 writes it, custom metadata included. */
export function writeMetadata(client: Client, scopes: readonly string[] | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(metadataNames)) {
    const written = entry.codec.write(client[entry.field as keyof Client]);
    if (written !== undefined && !(Array.isArray(written) && written.length === 0 && !isListOfRegistration(name))) out[name] = written;
    if (entry.localized) {
      for (const { tag, value } of (client[entry.localized as keyof Client] as TaggedValue[] | null | undefined) ?? []) out[`${name}#${tag}`] = value;
    }
  }
  if (scopes) out.scope = scopes.join(" ");
  if (client.customMetadata) Object.assign(out, JSON.parse(client.customMetadata) as Record<string, unknown>);
  return out;
}

/** Lists every client registers (empty ones too): the grant and response types and redirect URIs. */
const isListOfRegistration = (name: string) => name === "redirect_uris" || name === "grant_types" || name === "response_types";
