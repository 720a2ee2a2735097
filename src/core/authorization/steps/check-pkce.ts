import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";
import { responseTypeCarries } from "../authorization-request.js";

/** RFC 7636 §4.2: 43–128 characters of the unreserved set. */
const codeChallengePattern = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * PKCE for response types that issue a code (RFC 7636):
 * - §4.3: `code_challenge_method` is `plain` or `S256`, default `plain`; others → invalid_request.
 * - §4.2: the challenge is 43–128 unreserved characters → else invalid_request.
 * - a method without a challenge → invalid_request (it would otherwise silently mean "no PKCE").
 * - §4.4.1 + service/client `pkceRequired`, and RFC 9700 §2.1.1 (public clients MUST use PKCE):
 *   no challenge → invalid_request (catalogue SEC-041).
 * - service/client `pkceS256Required`: `plain`, explicit or by default → invalid_request (SEC-039).
 * A valid challenge never fails a request where PKCE is optional (SEC-035).
 */
export const checkPkce: FrontChannelStep = (draft) => {
  if (draft.responseType === null || !responseTypeCarries(draft.responseType).code) return;
  const { service, client, params } = draft;
  const challenge = params.get("code_challenge");
  const method = params.get("code_challenge_method");

  if (challenge === undefined) {
    if (method !== undefined) throw authorizationError("invalid_request", "authorizationCodeChallengeMissing");
    if (service.pkceRequired || client.pkceRequired) {
      throw authorizationError("invalid_request", "authorizationCodeChallengeRequired", "this service or client requires PKCE");
    }
    if (client.clientType === "PUBLIC") {
      throw authorizationError("invalid_request", "authorizationCodeChallengeRequired", "public clients must use PKCE");
    }
    return;
  }
  if (method !== undefined && method !== "plain" && method !== "S256") {
    throw authorizationError("invalid_request", "authorizationCodeChallengeMethodInvalid", "use S256 or plain");
  }
  const effectiveMethod = method ?? "plain";
  if (effectiveMethod === "plain" && (service.pkceS256Required || client.pkceS256Required)) {
    throw authorizationError("invalid_request", "authorizationCodeChallengeMethodInvalid", "S256 is required");
  }
  if (!codeChallengePattern.test(challenge)) throw authorizationError("invalid_request", "authorizationCodeChallengeInvalid");
  draft.codeChallenge = challenge;
  draft.codeChallengeMethod = effectiveMethod;
};
