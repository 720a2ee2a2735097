import type { FieldTable } from "../domain/field-support.js";
import { authorizationFailRequestFields, authorizationIssueRequestFields, authorizationRequestFields } from "./runtime-requests/authorization-requests.js";
import {
  backchannelAuthenticationCompleteRequestFields,
  backchannelAuthenticationFailRequestFields,
  backchannelAuthenticationIssueRequestFields,
  backchannelAuthenticationRequestFields,
} from "./runtime-requests/backchannel-requests.js";
import { deviceAuthorizationRequestFields, deviceCompleteRequestFields, deviceVerificationRequestFields } from "./runtime-requests/device-requests.js";
import {
  clientRegistrationReadRequestFields,
  clientRegistrationRequestFields,
  clientRegistrationUpdateRequestFields,
} from "./runtime-requests/client-registration-requests.js";
import { configurationQueryFields, jwksQueryFields } from "./runtime-requests/discovery-queries.js";
import { grantManagementRequestFields } from "./runtime-requests/grant-management-request.js";
import { idTokenReissueRequestFields } from "./runtime-requests/idtoken-reissue-request.js";
import { joseVerifyRequestFields } from "./runtime-requests/jose-verify-request.js";
import { introspectionRequestFields, standardIntrospectionRequestFields } from "./runtime-requests/introspection-requests.js";
import { nativeSsoLogoutRequestFields, nativeSsoRequestFields } from "./runtime-requests/native-sso-requests.js";
import { pushedAuthorizationRequestFields } from "./runtime-requests/pushed-authorization-request.js";
import { revocationRequestFields } from "./runtime-requests/revocation-request.js";
import { authorizationTicketInfoRequestFields, authorizationTicketUpdateRequestFields } from "./runtime-requests/ticket-requests.js";
import { tokenCreateRequestFields, tokenDeleteRequestFields, tokenListQueryFields, tokenRevokeRequestFields, tokenUpdateRequestFields } from "./runtime-requests/token-management-requests.js";
import { tokenFailRequestFields, tokenIssueRequestFields, tokenRequestFields } from "./runtime-requests/token-requests.js";
import { userInfoIssueRequestFields, userInfoRequestFields } from "./runtime-requests/userinfo-requests.js";

/**
 * Every field of the request of each runtime operation (the query of the two GETs), by operationId,
 * each honoured, stored (accepted, with nothing to do) or pending (refused unless neutral; see
 * `domain/field-support.ts`). The request schemas are built from these tables, and a test checks
 * them against Authlete's published requests, so a field can be neither missing nor dropped.
 */
export const runtimeRequestFields = {
  authorizationProcess: authorizationRequestFields,
  authorizationIssue: authorizationIssueRequestFields,
  authorizationFail: authorizationFailRequestFields,
  pushedAuthorizationCreate: pushedAuthorizationRequestFields,
  authorizationTicketInfo: authorizationTicketInfoRequestFields,
  authorizationTicketUpdate: authorizationTicketUpdateRequestFields,
  tokenProcess: tokenRequestFields,
  tokenIssue: tokenIssueRequestFields,
  tokenFail: tokenFailRequestFields,
  tokenManagementList: tokenListQueryFields,
  tokenManagementDelete: tokenDeleteRequestFields,
  tokenManagementRevoke: tokenRevokeRequestFields,
  tokenManagementCreate: tokenCreateRequestFields,
  tokenManagementUpdate: tokenUpdateRequestFields,
  idTokenReissue: idTokenReissueRequestFields,
  joseVerify: joseVerifyRequestFields,
  nativeSsoProcess: nativeSsoRequestFields,
  nativeSsoLogout: nativeSsoLogoutRequestFields,
  introspectionProcess: introspectionRequestFields,
  introspectionStandardProcess: standardIntrospectionRequestFields,
  revocationProcess: revocationRequestFields,
  userinfoProcess: userInfoRequestFields,
  userinfoIssue: userInfoIssueRequestFields,
  grantManagementProcess: grantManagementRequestFields,
  backchannelAuthenticationProcess: backchannelAuthenticationRequestFields,
  backchannelAuthenticationIssue: backchannelAuthenticationIssueRequestFields,
  backchannelAuthenticationFail: backchannelAuthenticationFailRequestFields,
  backchannelAuthenticationComplete: backchannelAuthenticationCompleteRequestFields,
  deviceAuthorizationProcess: deviceAuthorizationRequestFields,
  deviceVerificationProcess: deviceVerificationRequestFields,
  deviceCompleteProcess: deviceCompleteRequestFields,
  clientRegistrationCreate: clientRegistrationRequestFields,
  clientRegistrationGet: clientRegistrationReadRequestFields,
  clientRegistrationUpdate: clientRegistrationUpdateRequestFields,
  clientRegistrationDelete: clientRegistrationReadRequestFields,
  serviceGetConfiguration: configurationQueryFields,
  serviceJwksGet: jwksQueryFields,
} satisfies Record<string, FieldTable>;
