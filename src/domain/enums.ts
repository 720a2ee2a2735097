import { z } from "zod";

/** Authlete's UPPER_SNAKE enum names, with the OAuth wire value each stands for. */

export const grantTypeWire = {
  AUTHORIZATION_CODE: "authorization_code",
  IMPLICIT: "implicit",
  PASSWORD: "password",
  CLIENT_CREDENTIALS: "client_credentials",
  REFRESH_TOKEN: "refresh_token",
  CIBA: "urn:openid:params:grant-type:ciba",
  DEVICE_CODE: "urn:ietf:params:oauth:grant-type:device_code",
  TOKEN_EXCHANGE: "urn:ietf:params:oauth:grant-type:token-exchange",
  JWT_BEARER: "urn:ietf:params:oauth:grant-type:jwt-bearer",
  PRE_AUTHORIZED_CODE: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
} as const;
export const GrantType = z.enum(Object.keys(grantTypeWire) as [keyof typeof grantTypeWire, ...(keyof typeof grantTypeWire)[]]);
export type GrantType = z.infer<typeof GrantType>;

/** Response types as sets of the OAuth words they contain; order-insensitive on the wire. */
export const responseTypeWords = {
  NONE: ["none"],
  CODE: ["code"],
  TOKEN: ["token"],
  ID_TOKEN: ["id_token"],
  CODE_TOKEN: ["code", "token"],
  CODE_ID_TOKEN: ["code", "id_token"],
  ID_TOKEN_TOKEN: ["id_token", "token"],
  CODE_ID_TOKEN_TOKEN: ["code", "id_token", "token"],
} as const;
export const ResponseType = z.enum(
  Object.keys(responseTypeWords) as [keyof typeof responseTypeWords, ...(keyof typeof responseTypeWords)[]],
);
export type ResponseType = z.infer<typeof ResponseType>;

export const clientAuthMethodWire = {
  NONE: "none",
  CLIENT_SECRET_BASIC: "client_secret_basic",
  CLIENT_SECRET_POST: "client_secret_post",
  CLIENT_SECRET_JWT: "client_secret_jwt",
  PRIVATE_KEY_JWT: "private_key_jwt",
} as const;
export const ClientAuthMethod = z.enum(
  Object.keys(clientAuthMethodWire) as [keyof typeof clientAuthMethodWire, ...(keyof typeof clientAuthMethodWire)[]],
);
export type ClientAuthMethod = z.infer<typeof ClientAuthMethod>;

/** JWS algorithms Tessera signs and verifies with. `NONE` is accepted only where a setting means "unsigned". */
export const JwsAlg = z.enum(["NONE", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"]);
export type JwsAlg = z.infer<typeof JwsAlg>;
/** Asymmetric algorithms a service holds its own signing keys for. */
export const AsymmetricJwsAlg = z.enum(["RS256", "PS256", "ES256", "EdDSA"]);
export type AsymmetricJwsAlg = z.infer<typeof AsymmetricJwsAlg>;

export const ClientType = z.enum(["PUBLIC", "CONFIDENTIAL"]);
export type ClientType = z.infer<typeof ClientType>;
export const ApplicationType = z.enum(["WEB", "NATIVE"]);
export type ApplicationType = z.infer<typeof ApplicationType>;
export const SubjectType = z.enum(["PUBLIC", "PAIRWISE"]);
export type SubjectType = z.infer<typeof SubjectType>;
export const Prompt = z.enum(["NONE", "LOGIN", "CONSENT", "SELECT_ACCOUNT", "CREATE"]);
export type Prompt = z.infer<typeof Prompt>;
export const Display = z.enum(["PAGE", "POPUP", "TOUCH", "WAP"]);
export type Display = z.infer<typeof Display>;
export const ResponseMode = z.enum(["QUERY", "FRAGMENT", "FORM_POST"]);
export type ResponseMode = z.infer<typeof ResponseMode>;

/** Permissions of a service access token (Authlete's access rights). */
export const Permission = z.enum([
  "USE_SERVICE",
  "USE_INTROSPECTION",
  "VIEW_CLIENT",
  "MODIFY_CLIENT",
  "CREATE_CLIENT",
  "VIEW_SERVICE",
  "MODIFY_SERVICE",
  "DELETE_SERVICE",
]);
export type Permission = z.infer<typeof Permission>;

/** Rights that a held right includes, as in Authlete (USE_SERVICE covers introspection and reads). */
export const impliedPermissions: Record<Permission, readonly Permission[]> = {
  USE_SERVICE: ["USE_INTROSPECTION", "VIEW_SERVICE", "VIEW_CLIENT"],
  USE_INTROSPECTION: [],
  VIEW_CLIENT: [],
  MODIFY_CLIENT: ["VIEW_CLIENT"],
  CREATE_CLIENT: ["VIEW_CLIENT"],
  VIEW_SERVICE: ["VIEW_CLIENT"],
  MODIFY_SERVICE: ["VIEW_SERVICE", "VIEW_CLIENT"],
  DELETE_SERVICE: ["VIEW_SERVICE", "VIEW_CLIENT"],
};
