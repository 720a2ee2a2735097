import type { SharedStep } from "../request-draft.js";
import { spaceDelimited } from "../../protocol/request-parameters.js";

/**
 * OIDC Core §3.1.2.1 `acr_values`: voluntary ACRs in order of preference, never a cause of error
 * (catalogue SEC-006). An `acr` request in `claims` (read before) takes precedence; without either,
 * the client's `defaultAcrs` apply (OIDC Registration §2 `default_acr_values`).
 */
export const readAcrValues: SharedStep = (draft) => {
  if (draft.acrs.length > 0) return;
  const requested = spaceDelimited(draft.params.get("acr_values"));
  draft.acrs = requested.length > 0 ? requested : [...(draft.client.defaultAcrs ?? [])];
};
