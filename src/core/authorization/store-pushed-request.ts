import type { ClientAuthMethod } from "../../domain/enums.js";
import { clientAuthParameterNames } from "../client-auth/presented-credentials.js";
import { resultBody } from "../result-codes.js";
import type { FrontChannelDraft } from "./front-channel-draft.js";
import { savePushedRequest } from "./pushed-request.js";

/** A pushed request kept, as Authlete's `pushed_authorization_response` carries it. */
export interface CreatedPushedRequest {
  resultCode: string;
  resultMessage: string;
  action: "CREATED";
  requestUri: string;
  /** RFC 9126 §2.2: `{request_uri, expires_in}`, relayed with HTTP 201. */
  responseContent: string;
  clientAuthMethod: ClientAuthMethod;
}

/** The client's credentials are never kept with its request. */
const credentialNames = clientAuthParameterNames.filter((name) => name !== "client_id");

/**
 * The PAR variant's finish (RFC 9126 §2.2): keeps the checked parameters (a request object already
 * merged into them) behind a new request_uri bound to the client that authenticated. The request's
 * DPoP key (its `dpop_jkt`, or its proof's, RFC 9449 §10.1) is kept among them as `dpop_jkt`.
 */
export async function storePushedRequest(draft: FrontChannelDraft, method: ClientAuthMethod): Promise<CreatedPushedRequest> {
  const { deps, service, client } = draft;
  let parameters = draft.params.toForm(credentialNames);
  // A thumbprint is base64url, safe in a form as it is; one sent as dpop_jkt is there already.
  if (draft.dpopJkt !== null && draft.params.get("dpop_jkt") === undefined) parameters += `${parameters === "" ? "" : "&"}dpop_jkt=${draft.dpopJkt}`;
  const request = { parameters, requestObjectPayload: draft.requestObjectPayload };
  const { requestUri, expiresIn } = await savePushedRequest(deps, service, client.clientId, request);
  return {
    ...resultBody("pushedRequestCreated", client.clientId, expiresIn),
    action: "CREATED",
    requestUri,
    responseContent: JSON.stringify({ request_uri: requestUri, expires_in: expiresIn }),
    clientAuthMethod: method,
  };
}
