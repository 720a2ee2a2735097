import { authorizationError } from "../../authorization/authorization-errors.js";
import type { BackchannelStep } from "../backchannel-draft.js";

/** A secret the user remembers (a PIN or a password), never a document. */
export const MAX_USER_CODE_LENGTH = 100;

/**
 * CIBA Core §7.1 `user_code` (a secret known to the user, verified by the authorization server, here by
 * the login server): required when the service supports the parameter and the client registered
 * `bcUserCodeRequired` (§4, `backchannel_user_code_parameter`) → missing_user_code (§13); longer than
 * any code → invalid_user_code. Whether it is the user's code is for the login server to judge
 * (`/fail` with INVALID_USER_CODE).
 */
export const checkUserCode: BackchannelStep = (draft) => {
  draft.userCodeRequired = draft.service.backchannelUserCodeParameterSupported && draft.client.bcUserCodeRequired === true;
  const code = draft.params.get("user_code");
  if (code === undefined) {
    if (draft.userCodeRequired) throw authorizationError("missing_user_code", "backchannelUserCodeMissing");
    return;
  }
  if ([...code].length > MAX_USER_CODE_LENGTH) throw authorizationError("invalid_user_code", "backchannelUserCodeInvalid", MAX_USER_CODE_LENGTH);
  draft.userCode = code;
};
