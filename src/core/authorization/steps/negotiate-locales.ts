import type { SharedStep } from "../request-draft.js";
import { spaceDelimited } from "../../protocol/request-parameters.js";

function negotiate(requested: string[], supported: string[]): string[] {
  if (supported.length === 0) return requested;
  const byLowerCase = new Map(supported.map((tag) => [tag.toLowerCase(), tag]));
  return [...new Set(requested.map((tag) => byLowerCase.get(tag.toLowerCase())).filter((tag): tag is string => tag !== undefined))];
}

/**
 * OIDC Core §3.1.2.1 `ui_locales` and §5.2 `claims_locales`: BCP 47 tags in order of preference.
 * Unsupported tags are dropped, not errors ("SHOULD NOT result in an error", catalogue SEC-006);
 * when the service lists its supported locales, only those are kept (case-insensitively, RFC 5646 §2.1.1).
 */
export const negotiateLocales: SharedStep = (draft) => {
  draft.uiLocales = negotiate(spaceDelimited(draft.params.get("ui_locales")), draft.service.supportedUiLocales);
  draft.claimsLocales = negotiate(spaceDelimited(draft.params.get("claims_locales")), draft.service.supportedClaimLocales);
};
