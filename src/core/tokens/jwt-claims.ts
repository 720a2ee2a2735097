/**
 * Parses a JSON object handed over as a string (`jwtAtClaims`, `idTokenClaims`, `idtHeaderParams`).
 * Anything other than a JSON object yields null: these strings come from the login server, and a
 * malformed one must not break token minting (the owner of the value validates it on input).
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

/**
 * Copies `extra` into `claims` without touching the names in `protectedNames` or names already set.
 * Only own names count as set, so a claim named like an Object.prototype member (`constructor`)
 * is kept; `__proto__` is never copied, since assigning it would replace the object's prototype.
 */
export function mergeClaims(claims: Record<string, unknown>, extra: Record<string, unknown> | null, protectedNames: ReadonlySet<string>): void {
  if (!extra) return;
  for (const [name, value] of Object.entries(extra)) {
    if (protectedNames.has(name) || Object.hasOwn(claims, name) || name === "__proto__" || value === undefined) continue;
    claims[name] = value;
  }
}
