import { decodeJwt } from "jose";
import { authorizationError } from "../../authorization/authorization-errors.js";
import type { BackchannelHintType, BackchannelStep } from "../backchannel-draft.js";

/** The three hints of CIBA Core §7.1, in the order Authlete names them. */
const hints: ReadonlyArray<readonly [string, BackchannelHintType]> = [
  ["login_hint_token", "LOGIN_HINT_TOKEN"],
  ["id_token_hint", "ID_TOKEN_HINT"],
  ["login_hint", "LOGIN_HINT"],
];

/**
 * CIBA Core §7.1: exactly one of `login_hint_token`, `id_token_hint` and `login_hint` identifies the
 * user → invalid_request for none or several (§13); an empty one is invalid_request too (it names nobody).
 * The login server resolves the hint (Tessera has no user directory); an `id_token_hint` was verified
 * by the shared `checkIdTokenHint` step as an ID token of this service for this client, so its `sub`
 * is reported for the login server to look the user up by.
 */
export const readHint: BackchannelStep = (draft) => {
  const present = hints.filter(([name]) => draft.params.get(name) !== undefined || draft.params.pick([name]).has(name));
  if (present.length === 0) throw authorizationError("invalid_request", "backchannelHintMissing");
  if (present.length > 1) throw authorizationError("invalid_request", "backchannelHintsMultiple", present.map(([name]) => name).join(", "));
  const [name, type] = present[0]!;
  const hint = draft.params.get(name);
  if (hint === undefined) throw authorizationError("invalid_request", "backchannelHintEmpty", name);
  draft.hintType = type;
  draft.hint = hint;
  if (type === "ID_TOKEN_HINT") draft.sub = String(decodeJwt(hint).sub);
};
