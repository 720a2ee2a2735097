import type { Scope } from "../../domain/common.js";
import type { Client } from "../../domain/client.js";
import type { ResponseType } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import type { ParsedAuthorizationRequest } from "./authorization-request.js";
import type { RequestParameters } from "../protocol/request-parameters.js";

/**
 * The request while the steps check it. Client and redirect URI are settled before any step runs,
 * so every failure from here on is redirected to the client. Each step fills the fields it owns.
 */
export interface AuthorizationDraft extends Omit<ParsedAuthorizationRequest, "responseType" | "scopes"> {
  readonly deps: CoreDeps;
  readonly service: Service;
  readonly client: Client;
  readonly params: RequestParameters;
  /** Null until the response-type step has run. */
  responseType: ResponseType | null;
  /** True when `response_mode` was sent (else the response type's default applies). */
  responseModeExplicit: boolean;
  /** The scopes as the service defines them (name, description…), for the consent page. */
  scopes: Scope[];
}

/** One rule of the authorization request: reads `draft.params`, fills its fields, throws `OAuthError` on a violation. */
export type AuthorizationStep = (draft: AuthorizationDraft) => void | Promise<void>;
