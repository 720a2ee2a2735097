import { z } from "zod";
import { honoured, stored } from "../../domain/field-support.js";

const json = z.string().max(200_000);
const token = z.string().max(8192);
const clientId = z.string().max(200);

/** `/client/registration` (Authlete's `client_registration_request`): the body of the client's RFC 7591 request, relayed. */
export const clientRegistrationRequestFields = {
  json: honoured(json.optional(), "The client's registration request body: RFC 7591 client metadata as a JSON object."),
  token: stored(
    token.optional(),
    "The initial access token the client presented, if any. Accepted and not checked: whether registration needs one, and which, is the login server's policy, as in Authlete.",
  ),
  clientId: stored(clientId.optional(), "Names nothing at registration; the client gets its client_id in the answer."),
};

/** `/client/registration/get` and `/delete` (RFC 7592 sections 2.1 and 2.3). */
export const clientRegistrationReadRequestFields = {
  json: stored(json.optional(), "Not used by a read or delete; accepted, as Authlete's request has it."),
  token: honoured(token.optional(), "The registration access token of the client's `Authorization: Bearer` header; missing or not the client's: action UNAUTHORIZED (or BAD_REQUEST), error invalid_token."),
  clientId: honoured(clientId.optional(), "The client_id of the client configuration endpoint's path."),
};

/** `/client/registration/update` (RFC 7592 section 2.2). */
export const clientRegistrationUpdateRequestFields = {
  json: honoured(json.optional(), "The client's update request body: its whole metadata, replacing what was registered (omitted fields are cleared)."),
  token: clientRegistrationReadRequestFields.token,
  clientId: clientRegistrationReadRequestFields.clientId,
};
