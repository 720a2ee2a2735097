import { z } from "zod";
import { clientSettingFields } from "./client-fields.js";
import { shapeOf } from "./field-support.js";

/**
 * Client metadata an admin writes, built from the field table of client-fields.ts, which classifies
 * every field of Authlete's `Client`. Cross-field rules (redirect URIs per application type,
 * grant/response type consistency, key requirements per auth method) are checked in
 * `src/core/clients/validate-client.ts`, which reports every problem with the field name.
 */
export const ClientSettings = z.object(shapeOf(clientSettingFields));
export type ClientSettings = z.infer<typeof ClientSettings>;
export type ClientSettingsInput = z.input<typeof ClientSettings>;

/** A stored client. `clientIdAlias` is what relying parties send as `client_id` (defaults to the number as text). */
export interface Client extends Omit<ClientSettings, "clientIdAlias"> {
  clientId: number;
  clientIdAlias: string;
  serviceId: number;
  locked: boolean;
  createdAt: number;
  modifiedAt: number;
  /** True for a client of dynamic registration (RFC 7591), which has a registration access token; absent otherwise. */
  dynamicallyRegistered?: boolean;
}

/** How a client's secret is kept: a SHA-256 hash, plus the sealed plaintext only when CLIENT_SECRET_JWT needs it for HMAC. */
export interface ClientSecretRecord {
  secretHash: string;
  secretSealed: string | null;
}
