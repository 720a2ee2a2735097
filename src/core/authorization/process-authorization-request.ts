import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { RequestParameters } from "../protocol/request-parameters.js";
import type { AuthorizationRequestOutcome } from "./authorization-outcome.js";
import { authorizationVariant } from "./authorization-variants.js";
import { newFrontChannelDraft } from "./front-channel-draft.js";

export interface AuthorizationRequestInput {
  parameters?: string | null;
  context?: string | null;
}

/**
 * `/auth/authorization`: validates a raw authorization request (RFC 6749 §4.1.1 / §4.2.1, OIDC Core
 * §3.1.2.1) with the authorization column of `authorization-variants.ts`, and either parks it behind
 * a ticket (INTERACTION, or NO_INTERACTION for `prompt=none`) or says how to refuse it (BAD_REQUEST
 * when the client or redirect URI cannot be trusted, LOCATION/FORM otherwise).
 */
export async function processAuthorizationRequest(
  deps: CoreDeps,
  service: Service,
  input: AuthorizationRequestInput,
): Promise<AuthorizationRequestOutcome> {
  const { steps, answerFailure, finish } = authorizationVariant;
  const draft = newFrontChannelDraft(deps, service, RequestParameters.parse(input.parameters ?? ""));
  try {
    for (const step of steps) await step(draft);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return answerFailure(service, draft, error);
  }
  return finish(draft, input.context ?? null);
}
