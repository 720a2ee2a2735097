/**
 * Parses a JSON object handed over as a string (`jwtAtClaims`, `idTokenClaims`, `idtHeaderParams`).
 * Anything other than a JSON object yields null: these strings come from the login server, and a
 * malformed one must not break token issuance (the owner of the value validates it on input).
 */
export function parseJsonObject(text: string | null | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Copies `extra` into `claims` without touching the names in `protectedNames` or names already set. */
export function mergeClaims(claims: Record<string, unknown>, extra: Record<string, unknown> | null, protectedNames: ReadonlySet<string>): void {
  if (!extra) return;
  for (const [name, value] of Object.entries(extra)) {
    if (protectedNames.has(name) || name in claims || value === undefined) continue;
    claims[name] = value;
  }
}
