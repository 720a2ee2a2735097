import { z } from "zod";
import { MAX_DURATION_SECONDS, Pair, Scope, UrlString } from "./common.js";
import { AsymmetricJwsAlg, ClientAuthMethod, Display, GrantType, Prompt, ResponseType } from "./enums.js";
import { ServiceRateLimits } from "./rate-limits.js";
import { webUrlProblem } from "./web-url.js";

/** RFC 8414 §2 / OIDC Discovery §3: the rules of `webUrlProblem`, and no query. */
export const IssuerUrl = z
  .string()
  .max(1000)
  .superRefine((value, ctx) => {
    const problem = webUrlProblem(value, { queryForbidden: true });
    if (problem) ctx.addIssue({ code: "custom", message: `issuer ${problem}` });
  });

export const defaultScopes: Scope[] = [
  { name: "openid", defaultEntry: false, description: "Sign you in with your account" },
  { name: "profile", defaultEntry: false, description: "Your name and basic profile" },
  { name: "email", defaultEntry: false, description: "Your email address" },
  { name: "address", defaultEntry: false, description: "Your postal address" },
  { name: "phone", defaultEntry: false, description: "Your phone number" },
  { name: "offline_access", defaultEntry: false, description: "Stay signed in to the application" },
];

export const standardClaims = [
  "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
  "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
  "phone_number_verified", "address", "updated_at",
];

const duration = (fallback: number, max = MAX_DURATION_SECONDS) => z.number().int().min(1).max(max).default(fallback);

/** Settings of a service (tenant) that an admin writes; identifiers and timestamps are added by Tessera. */
export const ServiceSettings = z.object({
  serviceName: z.string().min(1).max(200),
  issuer: IssuerUrl,
  description: z.string().max(4000).nullish(),
  authorizationEndpoint: UrlString.nullish(),
  tokenEndpoint: UrlString.nullish(),
  userInfoEndpoint: UrlString.nullish(),
  revocationEndpoint: UrlString.nullish(),
  introspectionEndpoint: UrlString.nullish(),
  endSessionEndpoint: UrlString.nullish(),
  registrationEndpoint: UrlString.nullish(),
  jwksUri: UrlString.nullish(),
  policyUri: UrlString.nullish(),
  tosUri: UrlString.nullish(),
  serviceDocumentation: UrlString.nullish(),
  supportedGrantTypes: z.array(GrantType).default(["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"]),
  supportedResponseTypes: z.array(ResponseType).default(["CODE"]),
  supportedScopes: z.array(Scope).max(1000).default(defaultScopes),
  scopeRequired: z.boolean().default(false),
  supportedClaims: z.array(z.string().min(1).max(200)).max(1000).default(standardClaims),
  supportedAcrs: z.array(z.string().min(1).max(200)).max(100).default([]),
  supportedDisplays: z.array(Display).default(["PAGE", "POPUP", "TOUCH", "WAP"]),
  supportedUiLocales: z.array(z.string().min(1).max(35)).max(200).default([]),
  supportedClaimLocales: z.array(z.string().min(1).max(35)).max(200).default([]),
  supportedPromptValues: z.array(Prompt).default(["NONE", "LOGIN", "CONSENT", "SELECT_ACCOUNT"]),
  supportedTokenAuthMethods: z
    .array(ClientAuthMethod)
    .default(["NONE", "CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST", "CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT"]),
  supportedRevocationAuthMethods: z.array(ClientAuthMethod).nullish(),
  supportedIntrospectionAuthMethods: z.array(ClientAuthMethod).nullish(),
  accessTokenType: z.string().min(1).max(50).default("Bearer"),
  accessTokenDuration: duration(3600),
  refreshTokenDuration: duration(30 * 86400),
  idTokenDuration: duration(3600),
  /** [ext] lifetime of authorization codes, seconds; RFC 6749 §4.1.2 recommends at most 10 minutes. */
  authorizationCodeDuration: duration(600, 3600),
  allowableClockSkew: z.number().int().min(0).max(600).default(60),
  pkceRequired: z.boolean().default(false),
  pkceS256Required: z.boolean().default(false),
  /** When set, access tokens are RFC 9068 JWTs signed with this algorithm. */
  accessTokenSignAlg: AsymmetricJwsAlg.nullish(),
  refreshTokenKept: z.boolean().default(false),
  refreshTokenDurationKept: z.boolean().default(false),
  refreshTokenDurationReset: z.boolean().default(false),
  tokenExpirationLinked: z.boolean().default(false),
  singleAccessTokenPerSubject: z.boolean().default(false),
  issSuppressed: z.boolean().default(false),
  errorDescriptionOmitted: z.boolean().default(false),
  errorUriOmitted: z.boolean().default(false),
  /** [ext] the standard introspection endpoint answers for tokens of clients other than the authenticated caller. */
  introspectionByOtherClientsAllowed: z.boolean().default(false),
  /** [ext] per-category API rate limits of this service's tokens (docs/rate-limits.md). */
  rateLimits: ServiceRateLimits.nullish(),
  attributes: z.array(Pair).max(100).nullish(),
});
export type ServiceSettings = z.infer<typeof ServiceSettings>;
export type ServiceSettingsInput = z.input<typeof ServiceSettings>;

/**
 * A stored service: its settings plus what Tessera assigns. `serviceId` is the id of API paths;
 * Authlete's wire format calls it `apiKey`, and only src/http uses that name.
 */
export interface Service extends ServiceSettings {
  serviceId: number;
  createdAt: number;
  modifiedAt: number;
}
