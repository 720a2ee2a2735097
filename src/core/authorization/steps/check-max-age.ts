import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/**
 * OIDC Core §3.1.2.1 `max_age`: a non-negative integer number of seconds → else invalid_request.
 * Absent → the client's `defaultMaxAge` (OIDC Registration §2). `max_age=0` is "equivalent to
 * prompt=login", so LOGIN is added to the prompts unless the client asked for `prompt=none`.
 * When `max_age` was sent or a `defaultMaxAge` > 0 applies, `maxAgeApplies`: /issue then needs an `authTime` no
 * older than that (OIDC Core §2 auth_time).
 */
export const checkMaxAge: SharedStep = (draft) => {
  const value = draft.params.get("max_age");
  if (value === undefined) {
    draft.maxAge = draft.client.defaultMaxAge;
    draft.maxAgeApplies = draft.maxAge > 0;
    return;
  }
  if (!/^[0-9]{1,10}$/.test(value) || Number(value) > 2_147_483_647) {
    throw authorizationError("invalid_request", "authorizationMaxAgeInvalid");
  }
  draft.maxAge = Number(value);
  draft.maxAgeApplies = true;
  if (draft.maxAge === 0 && !draft.prompts.includes("NONE") && !draft.prompts.includes("LOGIN")) draft.prompts.push("LOGIN");
};
