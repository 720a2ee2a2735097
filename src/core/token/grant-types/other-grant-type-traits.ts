import type { GrantType } from "../../../domain/enums.js";
import type { GrantTypeTraits } from "./grant-type-module.js";
import type { TokenEndpointGrantType } from "./index.js";

/**
 * The traits of the grant types that have no token-endpoint module: implicit (answered by the
 * authorization endpoint), and those Tessera does not implement yet, which a client may still
 * register (their refresh-token trait decides whether REFRESH_TOKEN makes sense beside them).
 * The type demands an entry for every grant type without a module; a grant type that gains a module
 * moves its traits there.
 */
export const otherGrantTypeTraits: Readonly<Record<Exclude<GrantType, TokenEndpointGrantType>, GrantTypeTraits>> = {
  IMPLICIT: { implemented: true, confidentialOnly: false, refreshTokens: "never", redeemsCredential: false },
  PRE_AUTHORIZED_CODE: { implemented: false, confidentialOnly: false, refreshTokens: "when-refresh-token-enabled", redeemsCredential: true },
};
