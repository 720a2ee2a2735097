import {
  admittedPerCeilingWindow,
  isWithinCeiling,
  type RateLimitCategory,
  type RateLimitCeilings,
  type RateLimitPolicy,
} from "../../domain/rate-limits.js";
import { unsupportedValues } from "../../domain/field-support.js";
import type { ServiceSettings } from "../../domain/service.js";
import { serviceSettingFields } from "../../domain/service-fields.js";
import { CallerError } from "../caller-error.js";
import { webUrlProblem } from "../../domain/web-url.js";
import { minimumUserCodeLength, userCodeFormat } from "../device/user-code.js";
import { trustedIssuerProblems } from "../trusted-issuers/trusted-issuer-rules.js";

/**
 * Checks of service settings beyond their types, run on create and on the merged result of every update:
 * - RFC 8414 §2 / OIDC Discovery §3: the endpoint and document URLs a service publishes use https
 *   (http only on loopback hosts, like the issuer, for local development) and never another scheme,
 *   since relying parties and login pages follow them;
 * - RFC 6749 §3.1 / §3.2, RFC 3986: endpoint URLs carry no fragment, no user information and only
 *   URI characters (`webUrlProblem`, shared with the issuer);
 * - a scope name is listed once, so its `defaultEntry`, descriptions and attributes are unambiguous;
 * - `rateLimits` stay within the operator's TESSERA_RATE_LIMIT_* ceilings (docs/rate-limits.md): a
 *   tenant holding MODIFY_SERVICE must not raise its own quotas. Enforcement clamps again, since
 *   the operator may lower a ceiling after a service stored a quota;
 * - `trustedIssuers` name each issuer once with exactly one of public `jwks` or an https `jwksUri`
 *   (trusted-issuer-rules.ts).
 */

const publishedUrls = [
  "authorizationEndpoint",
  "tokenEndpoint",
  "userInfoEndpoint",
  "revocationEndpoint",
  "introspectionEndpoint",
  "endSessionEndpoint",
  "registrationEndpoint",
  "jwksUri",
  "policyUri",
  "tosUri",
  "serviceDocumentation",
  "deviceAuthorizationEndpoint",
  "deviceVerificationUri",
  "deviceVerificationUriComplete",
] as const;

function rateLimitProblem(category: RateLimitCategory, policy: RateLimitPolicy, ceiling: RateLimitPolicy): string {
  const asked = `rateLimits.${category}: ${policy.points} requests per ${policy.durationSeconds} s`;
  const limit = `the operator's ceiling of ${ceiling.points} per ${ceiling.durationSeconds} s`;
  if (policy.durationSeconds >= ceiling.durationSeconds) return `${asked} is more than ${limit}`;
  return `${asked} make ${admittedPerCeilingWindow(policy, ceiling)} per ${ceiling.durationSeconds} s, more than ${limit}`;
}

/**
 * `field: problem` for each problem, empty when the settings may be stored. Without `ceilings`
 * (core used outside the HTTP app) rate limits are checked only at enforcement.
 */
export function serviceSettingsProblems(settings: ServiceSettings, ceilings?: RateLimitCeilings): string[] {
  const problems: string[] = [];
  if (ceilings && settings.rateLimits) {
    for (const [category, policy] of Object.entries(settings.rateLimits) as Array<[RateLimitCategory, RateLimitPolicy | undefined]>) {
      if (policy && !isWithinCeiling(policy, ceilings[category])) problems.push(rateLimitProblem(category, policy, ceilings[category]));
    }
  }
  for (const field of publishedUrls) {
    const value = settings[field];
    if (value === null || value === undefined) continue;
    const problem = webUrlProblem(value);
    if (problem) problems.push(`${field}: ${problem}`);
  }
  const seen = new Set<string>();
  for (const scope of settings.supportedScopes) {
    if (seen.has(scope.name)) problems.push(`supportedScopes: the scope ${scope.name} is listed twice`);
    seen.add(scope.name);
  }
  problems.push(...trustedIssuerProblems(settings.trustedIssuers));
  return problems;
}

/**
 * RFC 8628 §5.1: user codes must have enough entropy that, with the verification limit, guessing
 * one is impractical; a `userCodeLength` below the charset's minimum (user-code.ts) is refused.
 */
export function refuseWeakUserCodes(settings: Pick<ServiceSettings, "userCodeCharset" | "userCodeLength">): void {
  const { charset } = userCodeFormat(settings);
  const asked = settings.userCodeLength ?? 0;
  if (asked > 0 && asked < minimumUserCodeLength[charset]) {
    throw new CallerError("serviceUserCodeTooShort", asked, charset, minimumUserCodeLength[charset]);
  }
}

/**
 * Refuses settings whose feature Tessera does not have yet (the field table's `pending` fields and
 * partly implemented ones), naming each, so no setting is ever accepted without effect.
 */
export function refuseUnsupportedServiceSettings(settings: ServiceSettings): void {
  const unsupported = unsupportedValues(serviceSettingFields, settings, { echoValues: true });
  if (unsupported.length > 0) throw new CallerError("serviceSettingNotSupported", unsupported.join("; "));
}
