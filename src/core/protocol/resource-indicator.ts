/**
 * RFC 8707 §2: a `resource` value is an absolute URI (RFC 3986 §4.3) without a fragment. A query is
 * allowed (the RFC only discourages it).
 */
export function isResourceIndicator(value: string): boolean {
  return URL.canParse(value) && !value.includes("#");
}
