import type { Prompt } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";
import { spaceDelimited } from "../../protocol/request-parameters.js";

const prompts: Record<string, Prompt> = {
  none: "NONE",
  login: "LOGIN",
  consent: "CONSENT",
  select_account: "SELECT_ACCOUNT",
  create: "CREATE",
};

/**
 * OIDC Core §3.1.2.1 `prompt`: space-delimited values from none, login, consent, select_account
 * (and `create`, Initiating User Registration §4); an unknown value or one the service does not
 * support → invalid_request; `none` with any other value → invalid_request (catalogue SEC-008).
 */
export const checkPrompt: SharedStep = (draft) => {
  const values = spaceDelimited(draft.params.get("prompt"));
  const parsed = values.map((value) => {
    const prompt = prompts[value];
    if (prompt === undefined) throw authorizationError("invalid_request", "authorizationPromptInvalid", "unknown value");
    if (!draft.service.supportedPromptValues.includes(prompt)) {
      throw authorizationError("invalid_request", "authorizationPromptInvalid", `${value} is not supported`);
    }
    return prompt;
  });
  if (parsed.includes("NONE") && parsed.length > 1) {
    throw authorizationError("invalid_request", "authorizationPromptInvalid", "none cannot be combined with other values");
  }
  draft.prompts = parsed;
};
