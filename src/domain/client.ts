import { z } from "zod";
import { MAX_DURATION_SECONDS, OptionalDuration, Pair, UrlString } from "./common.js";
import { ApplicationType, AsymmetricJwsAlg, ClientAuthMethod, ClientType, GrantType, JwsAlg, ResponseType, SubjectType } from "./enums.js";

export const ClientExtension = z.object({
  requestableScopesEnabled: z.boolean().default(false),
  requestableScopes: z.array(z.string().min(1).max(200)).max(1000).nullish(),
  /** Per-client lifetimes, seconds; they only shorten the service's. */
  accessTokenDuration: OptionalDuration,
  refreshTokenDuration: OptionalDuration,
  idTokenDuration: OptionalDuration,
});
export type ClientExtension = z.infer<typeof ClientExtension>;

/**
 * Client metadata an admin writes. Cross-field rules (redirect URIs per application type,
 * grant/response type consistency, key requirements per auth method) are checked in
 * `src/core/clients/validate-client.ts`, which reports every problem with the field name.
 */
export const ClientSettings = z.object({
  clientIdAlias: z.string().min(1).max(200).regex(/^[\x21-\x7E]+$/, "clientIdAlias is printable ASCII without spaces").nullish(),
  clientName: z.string().max(200).nullish(),
  description: z.string().max(4000).nullish(),
  clientType: ClientType.default("CONFIDENTIAL"),
  applicationType: ApplicationType.nullish(),
  redirectUris: z.array(z.string().max(2000)).max(100).default([]),
  grantTypes: z.array(GrantType).default(["AUTHORIZATION_CODE", "REFRESH_TOKEN"]),
  responseTypes: z.array(ResponseType).default(["CODE"]),
  tokenAuthMethod: ClientAuthMethod.default("CLIENT_SECRET_BASIC"),
  tokenAuthSignAlg: JwsAlg.nullish(),
  jwks: z.string().max(100_000).nullish(),
  jwksUri: UrlString.nullish(),
  idTokenSignAlg: AsymmetricJwsAlg.default("RS256"),
  userInfoSignAlg: AsymmetricJwsAlg.nullish(),
  subjectType: SubjectType.default("PUBLIC"),
  sectorIdentifierUri: UrlString.nullish(),
  pkceRequired: z.boolean().default(false),
  pkceS256Required: z.boolean().default(false),
  logoUri: UrlString.nullish(),
  clientUri: UrlString.nullish(),
  policyUri: UrlString.nullish(),
  tosUri: UrlString.nullish(),
  /** [ext] brand colour for the login page, `#rrggbb`. */
  brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "brandColor is #rrggbb").nullish(),
  contacts: z.array(z.string().max(320)).max(20).nullish(),
  defaultMaxAge: z.number().int().min(0).max(MAX_DURATION_SECONDS).default(0),
  defaultAcrs: z.array(z.string().min(1).max(200)).max(100).nullish(),
  postLogoutRedirectUris: z.array(z.string().max(2000)).max(100).nullish(),
  singleAccessTokenPerSubject: z.boolean().default(false),
  developer: z.string().max(200).nullish(),
  extension: ClientExtension.nullish(),
  attributes: z.array(Pair).max(100).nullish(),
});
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
}

/** How a client's secret is kept: a SHA-256 hash, plus the sealed plaintext only when CLIENT_SECRET_JWT needs it for HMAC. */
export interface ClientSecretRecord {
  secretHash: string;
  secretSealed: string | null;
}
