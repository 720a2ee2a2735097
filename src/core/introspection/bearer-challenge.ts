import type { Service } from "../../domain/service.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";

/**
 * RFC 6750 §3.1 error codes a protected resource puts in its `WWW-Authenticate: Bearer` challenge,
 * plus `server_error` (RFC 6749 §4.1.2.1), which Authlete also uses when it failed itself.
 */
export type BearerError = "invalid_request" | "invalid_token" | "insufficient_scope" | "server_error";

/** `auth-param` values are quoted-strings (RFC 9110 §11.2): backslash-escape `"` and `\`, drop control characters. */
function quoted(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must go.
  return `"${value.replace(/[\x00-\x1F\x7F]/g, " ").replace(/(["\\])/g, "\\$1")}"`;
}

/**
 * A ready `WWW-Authenticate` value (RFC 6750 §3): `Bearer error="…", error_description="…"`, plus
 * `scope="…"` naming the scopes needed when the error is `insufficient_scope` (§3.1). The description
 * starts with the result code, as Authlete's do, unless the service omits descriptions.
 */
export function bearerChallenge(
  service: Pick<Service, "errorDescriptionOmitted">,
  error: BearerError,
  code: ResultCodeName,
  args: Array<string | number> = [],
  scope?: string[],
): string {
  if (args.length > 0 || (scope && scope.length > 0)) return buildChallenge(service, error, code, args, scope);
  // Without arguments the challenge is a constant of (description shown, error, code): introspection answers it on every call.
  const key = `${service.errorDescriptionOmitted}|${error}|${code}`;
  let challenge = constantChallenges.get(key);
  if (challenge === undefined) {
    challenge = buildChallenge(service, error, code, args, scope);
    constantChallenges.set(key, challenge);
  }
  return challenge;
}

const constantChallenges = new Map<string, string>();

function buildChallenge(
  service: Pick<Service, "errorDescriptionOmitted">,
  error: BearerError,
  code: ResultCodeName,
  args: Array<string | number>,
  scope?: string[],
): string {
  const parts = [`error=${quoted(error)}`];
  if (!service.errorDescriptionOmitted) parts.push(`error_description=${quoted(resultBody(code, ...args).resultMessage)}`);
  if (scope && scope.length > 0) parts.push(`scope=${quoted(scope.join(" "))}`);
  return `Bearer ${parts.join(", ")}`;
}
