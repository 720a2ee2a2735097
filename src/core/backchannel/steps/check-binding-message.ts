import { authorizationError } from "../../authorization/authorization-errors.js";
import type { BackchannelStep } from "../backchannel-draft.js";

/** Long enough for a short sentence or a code, short enough for a phone's notification line. */
export const MAX_BINDING_MESSAGE_LENGTH = 128;

/**
 * Letters, combining marks, digits, punctuation, symbols and the plain space: no line breaks, no
 * format characters (bidirectional overrides, zero-width joiners) that would make the two devices
 * show the user different-looking texts.
 */
const plainText = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;

/**
 * CIBA Core §7.1 `binding_message`: shown on both the consumption and the authentication device so the
 * user can tell they belong together; it "SHOULD be relatively short and use a limited set of plain
 * text characters". Anything else → invalid_binding_message (§13). Control characters were refused
 * with the whole body already.
 */
export const checkBindingMessage: BackchannelStep = (draft) => {
  const message = draft.params.get("binding_message");
  if (message === undefined) return;
  if ([...message].length > MAX_BINDING_MESSAGE_LENGTH || !plainText.test(message)) {
    throw authorizationError("invalid_binding_message", "backchannelBindingMessageInvalid", MAX_BINDING_MESSAGE_LENGTH);
  }
  draft.bindingMessage = message;
};
