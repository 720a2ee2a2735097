import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { dpopSigningAlgs } from "../dpop/verify-dpop-proof.js";
import type { ResultCodeName } from "../result-codes.js";
import { challenge } from "./bearer-challenge.js";

/**
 * The errors of a `WWW-Authenticate: DPoP` challenge at a protected resource (RFC 9449 §7.1):
 * RFC 6750 §3.1's, plus `invalid_dpop_proof` (§7.1) and `use_dpop_nonce` (§9).
 */
export type DpopChallengeError = "invalid_token" | "invalid_dpop_proof" | "use_dpop_nonce" | "invalid_request" | "insufficient_scope";

/** §7.1 `algs`: the JWS algorithms the resource accepts in proofs, space-separated (no character needs escaping). */
const algsParameter = `algs="${dpopSigningAlgs.join(" ")}"`;

/**
 * A ready `WWW-Authenticate` value (RFC 9449 §7.1): `DPoP error="…", error_description="…",
 * error_uri="…"[, scope="…"], algs="ES256 …"`, its error members built like the Bearer challenge's
 * (one builder, `challenge` in bearer-challenge.ts); `scope` for `insufficient_scope`. With
 * `use_dpop_nonce` the login server also relays the response's `dpopNonce` as `DPoP-Nonce` (§9).
 */
export function dpopChallenge(
  deps: Pick<CoreDeps, "errorUriBase">,
  service: Pick<Service, "errorDescriptionOmitted" | "errorUriOmitted">,
  error: DpopChallengeError,
  code: ResultCodeName,
  args: Array<string | number> = [],
  scope?: string[],
): string {
  return challenge("DPoP", deps, service, error, code, args, scope, [algsParameter]);
}

/** The challenge to a request that presented no token at all (RFC 6750 §3.1: then no error code): `DPoP algs="…"`. */
export function bareDpopChallenge(): string {
  return `DPoP ${algsParameter}`;
}
