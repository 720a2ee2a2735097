import type { ServiceSettings } from "../../domain/service.js";

/**
 * Checks of service settings beyond their types, run on create and on the merged result of every update:
 * - RFC 8414 §2 / OIDC Discovery §3: the endpoint and document URLs a service publishes use https
 *   (http only on loopback hosts, like the issuer, for local development) and never another scheme,
 *   since relying parties and login pages follow them;
 * - RFC 6749 §3.1 / §3.2: endpoint URLs carry no fragment;
 * - a scope name is listed once, so its `defaultEntry`, descriptions and attributes are unambiguous.
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
] as const;
const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `field: problem` for each problem, empty when the settings may be stored. */
export function serviceSettingsProblems(settings: ServiceSettings): string[] {
  const problems: string[] = [];
  for (const field of publishedUrls) {
    const value = settings[field];
    if (value === null || value === undefined) continue;
    const url = new URL(value);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHosts.has(url.hostname))) {
      problems.push(`${field}: must use https (http only for localhost, 127.0.0.1 or [::1])`);
    }
    if (value.includes("#")) problems.push(`${field}: must not contain a fragment`);
  }
  const seen = new Set<string>();
  for (const scope of settings.supportedScopes) {
    if (seen.has(scope.name)) problems.push(`supportedScopes: the scope ${scope.name} is listed twice`);
    seen.add(scope.name);
  }
  return problems;
}
