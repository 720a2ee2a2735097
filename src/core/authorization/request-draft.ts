import type { Client } from "../../domain/client.js";
import type { Scope } from "../../domain/common.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import type { RequestParameters } from "../protocol/request-parameters.js";
import type { ParsedAuthorizationRequest } from "./authorization-request.js";

/** Where and how an answer travels back through the user's browser: only front-channel variants have these. */
type RedirectFields = "redirectUri" | "redirectUriSent" | "state" | "responseType" | "responseMode";

/**
 * A request while the steps check it, in any variant: each step fills the fields it owns. It has
 * no redirect fields, so variants answered over the back channel (device authorization, CIBA) can
 * run the steps they share with the authorization endpoint; `FrontChannelDraft` adds them.
 */
export interface RequestDraft extends Omit<ParsedAuthorizationRequest, RedirectFields | "clientId" | "scopes"> {
  readonly deps: CoreDeps;
  readonly service: Service;
  /** The parameters the steps read; a pushed request (loadPushedRequest) or a request object (readRequestObject) replaces them. */
  params: RequestParameters;
  /** Set by the client-identification step; a step placed before it that reads the client is a bug, so reading it then throws. */
  client: Client;
  /** The scopes as the service defines them (name, description…), for the consent page. */
  scopes: Scope[];
  /** The verified request object's payload JSON, null without one: set by readRequestObject, or loaded with a pushed request. */
  requestObjectPayload: string | null;
  /** The request came through a pushed request's request_uri (RFC 9126 section 4): set by loadPushedRequest. */
  pushedRequest: boolean;
  /** The request object read by readRequestObject was encrypted to the service (a JWE). */
  requestObjectEncrypted: boolean;
}

/** One rule of a request: reads `draft.params`, fills its fields, throws `OAuthError` on a violation. */
export type Step<Draft extends RequestDraft> = (draft: Draft) => void | Promise<void>;

/** A rule that needs no redirect fields, so any variant may run it. */
export type SharedStep = Step<RequestDraft>;

export function newRequestDraft(deps: CoreDeps, service: Service, params: RequestParameters): RequestDraft {
  let identified: Client | undefined;
  return {
    deps,
    service,
    params,
    get client(): Client {
      if (identified === undefined) throw new Error("the client-identification step has not run");
      return identified;
    },
    set client(client: Client) {
      identified = client;
    },
    clientIdAliasUsed: false,
    nonce: null,
    scopes: [],
    openid: false,
    codeChallenge: null,
    codeChallengeMethod: null,
    prompts: [],
    maxAge: 0,
    maxAgeApplies: false,
    authTimeEssential: false,
    subject: null,
    loginHint: null,
    acrs: [],
    acrEssential: false,
    claims: [],
    claimsAtUserInfo: [],
    idTokenClaims: null,
    userInfoClaims: null,
    uiLocales: [],
    claimsLocales: [],
    display: "PAGE",
    resources: [],
    authorizationDetails: [],
    dpopJkt: null,
    gmAction: null,
    grantId: null,
    grantSubject: null,
    grant: null,
    requestObjectPayload: null,
    pushedRequest: false,
    requestObjectEncrypted: false,
  };
}
