import { z } from "zod";
import { GrantManagementAction } from "../../domain/enums.js";
import { honoured } from "../../domain/field-support.js";
import { dpopInputs, securityInputs } from "./security-inputs.js";

const dpop = dpopInputs({
  htm: "default the method of `gmAction` (GET for QUERY, DELETE for REVOKE)",
  htu: "default the grant's URL, the service's `grantManagementEndpoint`, a slash and `grantId`",
});

/** `/gm` (Authlete's `g_m_request`): the client's call to `{grant_management_endpoint}/{grant_id}`, relayed. */
export const grantManagementRequestFields = {
  accessToken: honoured(
    z.string().max(8192).optional(),
    "The access token of the client's `Authorization` header (Bearer or DPoP); a missing one yields action UNAUTHORIZED.",
  ),
  gmAction: honoured(
    GrantManagementAction.optional(),
    "QUERY for the client's GET of the grant, REVOKE for its DELETE. Missing, or an action of authorization requests (CREATE, MERGE, REPLACE): action CALLER_ERROR.",
  ),
  grantId: honoured(z.string().max(200).optional(), "The grant_id of the grant's resource URL; a missing one yields action CALLER_ERROR."),
  clientCertificate: securityInputs.clientCertificate,
  dpop: dpop.dpop,
  htm: dpop.htm,
  htu: dpop.htu,
  dpopNonceRequired: dpop.dpopNonceRequired,
};
