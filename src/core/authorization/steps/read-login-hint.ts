import type { SharedStep } from "../request-draft.js";

/** OIDC Core §3.1.2.1 `login_hint`: passed through for the login page; never a cause of error (catalogue SEC-006). */
export const readLoginHint: SharedStep = (draft) => {
  draft.loginHint = draft.params.get("login_hint") ?? null;
};
