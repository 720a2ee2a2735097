import type { Decision } from "../pending/decision.js";
import type { BackchannelRequest } from "./backchannel-request.js";

/** The OAuth error a refused CIBA request ends in (CIBA Core §11, §12): the user said no, or no decision came. */
export type BackchannelDenial = "access_denied" | "expired_token";

/**
 * The payload of a CIBA pending authorization (`PendingAuthorizationRecord.payload`, kind CIBA): the
 * checked request, the `auth_req_id` sealed (the login server and push/ping notifications need it back,
 * while the record is found by its hash), and once the login server reported, the decision or the denial.
 */
export interface BackchannelPending {
  request: BackchannelRequest;
  authReqIdSealed: string;
  decision?: Decision;
  denial?: { error: BackchannelDenial; description: string | null; uri: string | null };
}

/** CIBA Core §7.3: "If no value is provided, clients MUST use 5 as the default value" for `interval`. */
export const DEFAULT_POLLING_INTERVAL_SECONDS = 5;
