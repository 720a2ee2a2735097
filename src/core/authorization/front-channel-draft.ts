import type { ResponseMode, ResponseType } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import type { RequestParameters } from "../protocol/request-parameters.js";
import { type RequestDraft, type Step, newRequestDraft } from "./request-draft.js";

/** A request answered through the user's browser (authorization endpoint, PAR): a draft with the redirect fields. */
export interface FrontChannelDraft extends RequestDraft {
  /** Null until the redirect-URI step trusted one: until then no failure may be redirected. */
  redirectUri: string | null;
  /** `redirect_uri` exactly as sent, null when omitted. */
  redirectUriSent: string | null;
  state: string | null;
  /** Null until the response-type step has run. */
  responseType: ResponseType | null;
  responseMode: ResponseMode;
  /** True when `response_mode` was sent (else the response type's default applies). */
  responseModeExplicit: boolean;
}

/** A rule that reads or fills redirect fields: only front-channel variants run it. */
export type FrontChannelStep = Step<FrontChannelDraft>;

type RedirectFields = Omit<FrontChannelDraft, keyof RequestDraft>;

export function newFrontChannelDraft(deps: CoreDeps, service: Service, params: RequestParameters): FrontChannelDraft {
  const redirect: RedirectFields = {
    redirectUri: null,
    redirectUriSent: null,
    state: null,
    responseType: null,
    responseMode: "QUERY",
    responseModeExplicit: false,
  };
  // Object.assign keeps the shared draft's client accessor (a spread would read it before it is set).
  return Object.assign(newRequestDraft(deps, service, params), redirect);
}
