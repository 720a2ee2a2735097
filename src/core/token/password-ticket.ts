import type { Property } from "../../domain/common.js";
import type { ClientAuthMethod } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { PresentedSender } from "../sender/token-request-binding.js";

/** Lifetime of a password-grant ticket: the login server checks the credentials right away. */
export const PASSWORD_TICKET_LIFETIME_MS = 10 * 60 * 1000;

/** What a password-grant ticket carries from /auth/token to /auth/token/issue (`TicketRecord.payload`). */
export interface PasswordTicketPayload {
  scopes: string[];
  clientIdAliasUsed: boolean;
  clientAuthMethod: ClientAuthMethod;
  properties: Property[];
  jwtAtClaims: string | null;
  accessTokenDuration: number | null;
  refreshTokenDuration: number | null;
  /** The token request's `resource` parameters, the audience of the token (absent in tickets issued before they were read). */
  resources?: string[];
  /** The token request's `authorization_details` (RFC 9396), the token's (absent in tickets issued before they were read). */
  authorizationDetails?: AuthorizationDetail[];
  /** SHA-256 of the username, keying the failed-login counter (absent in tickets issued before it existed). */
  usernameHash?: string;
  /** What the token request proved about its sender (its DPoP key), which the tokens are bound to at /issue; absent in older tickets. */
  sender?: PresentedSender;
}
