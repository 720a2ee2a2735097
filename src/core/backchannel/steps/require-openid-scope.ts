import { authorizationError } from "../../authorization/authorization-errors.js";
import type { BackchannelStep } from "../backchannel-draft.js";

/** CIBA Core §7.1: `scope` is REQUIRED and, CIBA being OpenID Connect, MUST include `openid` → invalid_scope. */
export const requireOpenidScope: BackchannelStep = (draft) => {
  if (!draft.openid) throw authorizationError("invalid_scope", "backchannelOpenidRequired");
};
