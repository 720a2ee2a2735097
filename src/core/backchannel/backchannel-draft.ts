import type { Client } from "../../domain/client.js";
import type { DeliveryMode } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { type RequestDraft, type Step, newRequestDraft } from "../authorization/request-draft.js";
import type { CoreDeps } from "../context.js";
import type { RequestParameters } from "../protocol/request-parameters.js";

/** Which hint names the user (CIBA Core §7.1), as Authlete's `hintType` says it. */
export type BackchannelHintType = "LOGIN_HINT_TOKEN" | "ID_TOKEN_HINT" | "LOGIN_HINT";

/**
 * A backchannel authentication request while the steps check it: the shared draft (scopes, acrs,
 * resources, authorization details, the request object) plus what only CIBA has. Answered to the
 * client directly, so it has no redirect fields.
 */
export interface BackchannelDraft extends RequestDraft {
  /** The client's registered token delivery mode (CIBA Core §5). */
  deliveryMode: DeliveryMode;
  hintType: BackchannelHintType | null;
  hint: string | null;
  /** The `sub` of a verified `id_token_hint`, for the login server to find the user by (Authlete's `sub`). */
  sub: string | null;
  bindingMessage: string | null;
  userCode: string | null;
  /** The client must send a `user_code` here (its `bcUserCodeRequired` and the service's `backchannelUserCodeParameterSupported`). */
  userCodeRequired: boolean;
  /** Seconds, as the client asked (CIBA Core §7.1 `requested_expiry`); null without one. */
  requestedExpiry: number | null;
  /** The bearer token the client wants its notifications to carry (ping and push modes). */
  clientNotificationToken: string | null;
}

/** One CIBA-only rule: reads `draft.params`, fills its fields, throws `OAuthError` on a violation. */
export type BackchannelStep = Step<BackchannelDraft>;

/**
 * A fresh draft for an authenticated client. At this endpoint the algorithm a request object must use
 * is the client's `bcRequestSignAlg` (CIBA Core §4 `backchannel_authentication_request_signing_alg`),
 * not its front-channel `requestSignAlg`: the shared request-object step reads the client's, so it sees
 * the client as registered for this endpoint.
 */
export function newBackchannelDraft(deps: CoreDeps, service: Service, params: RequestParameters, client: Client, deliveryMode: DeliveryMode): BackchannelDraft {
  const cibaFields: Omit<BackchannelDraft, keyof RequestDraft> = {
    deliveryMode,
    hintType: null,
    hint: null,
    sub: null,
    bindingMessage: null,
    userCode: null,
    userCodeRequired: false,
    requestedExpiry: null,
    clientNotificationToken: null,
  };
  // Object.assign keeps the shared draft's client accessor (a spread would read it before it is set).
  const draft = Object.assign(newRequestDraft(deps, service, params), cibaFields);
  draft.client = { ...client, requestSignAlg: client.bcRequestSignAlg ?? null };
  return draft;
}
