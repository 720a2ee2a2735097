import type { GrantUpdateAction } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { GrantContent } from "../../domain/records.js";

/**
 * What a grant holds after a consent given under a grant management action (Grant Management for
 * OAuth 2.0 §4.1): CREATE starts from nothing, MERGE adds the consent to what the grant held, and
 * REPLACE keeps only the consent. A merge keeps what was there first, in its order, then what is
 * new: scopes, claims and resources once each, authorization details once per identical element
 * (members compared whatever their order), since the draft leaves finer comparison to deployments (§9.2).
 */
export function grantContentAfter(action: GrantUpdateAction, existing: GrantContent, consent: GrantContent): GrantContent {
  if (action !== "MERGE") return consent;
  return {
    scopes: union(existing.scopes, consent.scopes),
    claims: union(existing.claims, consent.claims),
    resources: union(existing.resources, consent.resources),
    authorizationDetails: unionOfDetails(existing.authorizationDetails, consent.authorizationDetails),
  };
}

function union(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}

function unionOfDetails(first: readonly unknown[], second: readonly unknown[]): unknown[] {
  const seen = new Set(first.map(canonicalJson));
  const added = second.filter((detail) => {
    const key = canonicalJson(detail);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return [...first, ...added];
}

/** JSON with every object's members sorted, so two equal elements compare equal as text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A grant's scopes as the draft's `scopes` member lists them (§5.4): objects of a space-separated
 * `scope` and the `resource` indicators (RFC 8707) it was granted for. Tessera keeps one set of
 * resources per grant, so every scope goes in one object with all of them (each member only when there is
 * one); no object without scopes or resources.
 */
export function grantScopes(content: GrantContent): Array<{ scope?: string; resource?: string[] }> {
  if (content.scopes.length === 0 && content.resources.length === 0) return [];
  const entry: { scope?: string; resource?: string[] } = {};
  if (content.scopes.length > 0) entry.scope = content.scopes.join(" ");
  if (content.resources.length > 0) entry.resource = [...content.resources];
  return [entry];
}

/** The grant as the grant management endpoint answers a query (draft §5.4): only the members it has. */
export function grantQueryBody(content: GrantContent): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const scopes = grantScopes(content);
  if (scopes.length > 0) body.scopes = scopes;
  if (content.claims.length > 0) body.claims = content.claims;
  if (content.authorizationDetails.length > 0) body.authorization_details = content.authorizationDetails as AuthorizationDetail[];
  return body;
}
