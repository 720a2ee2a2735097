import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { oauthErrorBody } from "../oauth-error.js";
import { type ResultCodeName, resultText } from "../result-codes.js";

/**
 * RFC 6750 §3.1 error codes a protected resource puts in its `WWW-Authenticate: Bearer` challenge,
 * plus `server_error` (RFC 6749 §4.1.2.1), which Authlete also uses when it failed itself.
 */
export type BearerError = "invalid_request" | "invalid_token" | "insufficient_scope" | "server_error";

type ChallengeDeps = Pick<CoreDeps, "errorUriBase">;
type ChallengeService = Pick<Service, "errorDescriptionOmitted" | "errorUriOmitted">;

/** RFC 6750 §3: scope values are %x21 / %x23-5B / %x5D-7E, so none needs escaping inside the quotes; anything else is dropped. */
function scopeValue(scope: string[]): string {
  return scope
    .map((name) => name.replace(/[^\x21\x23-\x5B\x5D-\x7E]/g, ""))
    .filter((name) => name.length > 0)
    .join(" ");
}

/**
 * A ready `WWW-Authenticate` value (RFC 6750 §3): `Bearer error="…"`, then the `error_description`
 * and `error_uri` of the one error-body builder (the result code in brackets, its entry in the docs)
 * unless the service omits them, then `scope="…"` naming the scopes needed when the error is
 * `insufficient_scope` (§3.1). The builder keeps `"` and `\` out of every value, so none is escaped.
 */
export function bearerChallenge(
  deps: ChallengeDeps,
  service: ChallengeService,
  error: BearerError,
  code: ResultCodeName,
  args: Array<string | number> = [],
  scope?: string[],
): string {
  return challenge("Bearer", deps, service, error, code, args, scope, []);
}

/**
 * The challenge of an auth scheme that carries RFC 6750's parameters (Bearer; DPoP, RFC 9449 §7.1):
 * `<scheme> error="…", error_description="…", error_uri="…"[, scope="…"]`, then `trailing`, the
 * scheme's own parameters, already quoted (DPoP's `algs`).
 */
export function challenge(
  scheme: string,
  deps: ChallengeDeps,
  service: ChallengeService,
  error: string,
  code: ResultCodeName,
  args: Array<string | number>,
  scope: string[] | undefined,
  trailing: readonly string[],
): string {
  if (args.length > 0 || (scope && scope.length > 0)) return buildChallenge(scheme, deps, service, error, code, args, scope, trailing);
  // Without arguments the challenge is a constant of (scheme, base, omissions, error, code, trailing): introspection answers it on every call.
  const key = `${scheme}|${deps.errorUriBase}|${service.errorDescriptionOmitted}|${service.errorUriOmitted}|${error}|${code}|${trailing.join(",")}`;
  let value = constantChallenges.get(key);
  if (value === undefined) {
    value = buildChallenge(scheme, deps, service, error, code, args, scope, trailing);
    constantChallenges.set(key, value);
  }
  return value;
}

const constantChallenges = new Map<string, string>();

function buildChallenge(
  scheme: string,
  deps: ChallengeDeps,
  service: ChallengeService,
  error: string,
  code: ResultCodeName,
  args: Array<string | number>,
  scope: string[] | undefined,
  trailing: readonly string[],
): string {
  const body = oauthErrorBody(deps, service, { error, resultCode: code, description: resultText(code, ...args) });
  const parts = [`error="${body.error}"`];
  if (body.error_description !== undefined) parts.push(`error_description="${body.error_description}"`);
  if (body.error_uri !== undefined) parts.push(`error_uri="${body.error_uri}"`);
  if (scope && scope.length > 0) parts.push(`scope="${scopeValue(scope)}"`);
  parts.push(...trailing);
  return `${scheme} ${parts.join(", ")}`;
}
