import type { ClientAuthMethod, DeliveryMode } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { GrantManagementFacts } from "../grant-management/grant-management-facts.js";
import type { BackchannelHintType } from "./backchannel-draft.js";

/**
 * A checked backchannel authentication request as Tessera keeps it, first behind the login server's
 * ticket, then inside the pending authorization (`BackchannelPending`). Secrets the login server or
 * the client must get back in plaintext are sealed with the master key.
 */
export interface BackchannelRequest extends GrantManagementFacts {
  clientIdAliasUsed: boolean;
  clientAuthMethod: ClientAuthMethod;
  deliveryMode: DeliveryMode;
  scopes: string[];
  /** OIDC Core §5.4: the claims the scopes stand for, which the ID token and UserInfo may carry. */
  claimNames: string[];
  acrs: string[];
  hintType: BackchannelHintType;
  hint: string;
  sub: string | null;
  bindingMessage: string | null;
  userCode: string | null;
  userCodeRequired: boolean;
  requestedExpiry: number | null;
  /** Sealed: a bearer credential of the client, handed back to the login server at /complete. */
  clientNotificationTokenSealed: string | null;
  resources: string[];
  authorizationDetails: AuthorizationDetail[];
  requestObjectPayload: string | null;
}
