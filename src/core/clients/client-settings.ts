import { type Client, ClientSettings, type ClientSettingsInput } from "../../domain/client.js";
import { clientSettingFields } from "../../domain/client-fields.js";
import { unsupportedValues } from "../../domain/field-support.js";
import type { CoreDeps } from "../context.js";
import { describeSettingProblems } from "../services/describe-setting-problems.js";
import { CallerError } from "../caller-error.js";
import { refuseInvalidMtlsClient } from "../mtls/mtls-registration.js";
import { describeProblems, validateClient } from "./validate-client.js";

/** Client fields an admin writes; any subset on update. */
export type ClientSettingsPatch = Partial<ClientSettingsInput>;

/**
 * Defaults that depend on other fields, filled before the static defaults of `ClientSettings`:
 * a PUBLIC client authenticates with NONE, and response types follow the grant types
 * (`CODE` when AUTHORIZATION_CODE is registered, none otherwise), so a client-credentials client
 * needs no redirect-flow settings.
 */
function withDerivedDefaults(input: ClientSettingsPatch): ClientSettingsPatch {
  const out: ClientSettingsPatch = { ...input };
  if (out.tokenAuthMethod === undefined && out.clientType === "PUBLIC") out.tokenAuthMethod = "NONE";
  if (out.responseTypes === undefined && out.grantTypes !== undefined) {
    out.responseTypes = out.grantTypes.includes("AUTHORIZATION_CODE") ? ["CODE"] : [];
  }
  return out;
}

/** The admin-writable part of a stored client (the alias is always set once stored). */
export function settingsOfClient(client: Client): ClientSettings {
  const {
    clientId: _id,
    serviceId: _serviceId,
    locked: _locked,
    createdAt: _createdAt,
    modifiedAt: _modifiedAt,
    dynamicallyRegistered: _dynamic,
    ...settings
  } = client;
  return settings;
}

/**
 * Parses (static defaults applied) and cross-checks settings; every problem is reported in one `A003202`.
 * Values whose feature Tessera lacks are refused first, all named in one `A003210`; the rules of the
 * mutual-TLS methods come last, with their own codes (A003211, A003212).
 */
export function checkedClientSettings(input: ClientSettingsPatch, isNew: boolean): ClientSettings {
  const parsed = ClientSettings.safeParse(isNew ? withDerivedDefaults(input) : input);
  if (!parsed.success) throw new CallerError("clientMetadataInvalid", describeSettingProblems(parsed.error));
  const unsupported = unsupportedValues(clientSettingFields, parsed.data, { echoValues: true });
  if (unsupported.length > 0) throw new CallerError("clientSettingNotSupported", unsupported.join("; "));
  const problems = validateClient(parsed.data);
  if (problems.length > 0) throw new CallerError("clientMetadataInvalid", describeProblems(problems));
  refuseInvalidMtlsClient(parsed.data);
  return parsed.data;
}

/**
 * `clientIdAlias` is what relying parties send as `client_id`, so it is unique within the service.
 * A purely numeric alias must be the client's own number, so a `clientIdentifier` path segment
 * can never mean two clients.
 */
export async function checkAlias(deps: Pick<CoreDeps, "store">, serviceId: number, clientId: number, alias: string): Promise<void> {
  if (/^[0-9]+$/.test(alias) && alias !== String(clientId)) {
    throw new CallerError("clientMetadataInvalid", "clientIdAlias: a numeric alias must equal the client's own clientId");
  }
  const holder = await deps.store.getClientByAlias(serviceId, alias);
  if (holder && holder.clientId !== clientId) throw new CallerError("clientIdAliasTaken", alias);
}
