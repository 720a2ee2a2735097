import { z } from "zod";
import { UrlString } from "./common.js";

/**
 * [ext] A party whose JWTs the service accepts as statements about someone (RFC 7523 §2.1 assertions,
 * RFC 8693 subject and actor tokens, RFC 7591 software statements), and where its public keys are.
 * `issuer` is matched exactly against a JWT's `iss`, which RFC 7519 §4.1.1 makes any StringOrURI,
 * so it is any non-empty string, not necessarily a URL. The keys are a JWK Set given inline (`jwks`,
 * its JSON text, as Authlete holds every JWK Set) or fetched from `jwksUri` through the outbound-fetch
 * guard; exactly one of the two (validate-service.ts checks that, public keys only, and https).
 */
export const TrustedIssuer = z
  .object({
    issuer: z.string().min(1).max(1000).describe("Matched exactly against the `iss` claim (RFC 7519 section 4.1.1: any StringOrURI)."),
    jwks: z.string().max(100_000).nullish().describe("The issuer's public keys: a JWK Set as JSON text. Exactly one of jwks and jwksUri."),
    jwksUri: UrlString.nullish().describe("An https URL serving the issuer's public JWK Set, fetched through the outbound-fetch guard."),
  })
  .strict();
export type TrustedIssuer = z.infer<typeof TrustedIssuer>;

/** At most this many issuers per service: each assertion is matched against the list. */
export const MAX_TRUSTED_ISSUERS = 100;

export const TrustedIssuers = z
  .array(TrustedIssuer)
  .max(MAX_TRUSTED_ISSUERS)
  .describe(
    "[ext] Issuers whose JWTs the service verifies itself: assertions of the JWT bearer grant (RFC 7523 section 2.1). Each `{issuer, jwks | jwksUri}`; an issuer is listed once.",
  );
