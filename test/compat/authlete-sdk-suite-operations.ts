/**
 * Every Authlete operation Tessera implements, keyed `METHOD path` as Authlete's spec writes it, with
 * the method of `@authlete/typescript-sdk` that calls it and the file of the compatibility suite that
 * drives it. An operation of the spec the SDK has no method for (`sdkMethod: null`) is driven over
 * plain HTTP through the harness, which records its answers the same way. authlete-sdk-suite.test.ts holds this table equal to the operations Tessera's spec shares
 * with Authlete's, and each driving file checks that it called its operations through the SDK, so an
 * operation cannot land without its SDK test.
 */

export type SuitePart =
  | "management"
  | "runtime"
  | "ciba"
  | "device"
  | "token-management"
  | "client-authorization"
  | "grant-management"
  | "registration"
  | "idtoken-reissue"
  | "native-sso"
  | "jose-verify";

export interface SdkOperation {
  /** Property path of the method on an `Authlete` instance; null when the SDK has none. */
  sdkMethod: string | null;
  part: SuitePart;
}

export const sdkOperations: Record<string, SdkOperation> = {
  // Not in Authlete's published v3 spec, but in its SDK (and in Authlete's API): see authlete-sdk-suite.test.ts.
  "POST /api/service/create": { sdkMethod: "service.create", part: "management" },
  "GET /api/{serviceId}/service/get": { sdkMethod: "service.get", part: "management" },
  "GET /api/service/get/list": { sdkMethod: "service.list", part: "management" },
  "POST /api/{serviceId}/service/update": { sdkMethod: "service.update", part: "management" },
  "DELETE /api/{serviceId}/service/delete": { sdkMethod: "service.delete", part: "management" },
  "GET /api/{serviceId}/service/configuration": { sdkMethod: "service.getConfiguration", part: "runtime" },
  "GET /api/{serviceId}/service/jwks/get": { sdkMethod: "jwkSetEndpoint.serviceJwksGetApi", part: "runtime" },
  "POST /api/{serviceId}/client/create": { sdkMethod: "client.create", part: "management" },
  "GET /api/{serviceId}/client/get/{clientId}": { sdkMethod: "client.get", part: "management" },
  "GET /api/{serviceId}/client/get/list": { sdkMethod: "client.list", part: "management" },
  "POST /api/{serviceId}/client/update/{clientId}": { sdkMethod: "client.update", part: "management" },
  "DELETE /api/{serviceId}/client/delete/{clientId}": { sdkMethod: "client.delete", part: "management" },
  "POST /api/{serviceId}/client/lock_flag/update/{clientIdentifier}": { sdkMethod: "client.management.updateLockFlag", part: "management" },
  "GET /api/{serviceId}/client/secret/refresh/{clientIdentifier}": { sdkMethod: "client.management.refreshSecret", part: "management" },
  "POST /api/{serviceId}/client/secret/update/{clientIdentifier}": { sdkMethod: "client.management.updateSecret", part: "management" },
  "GET /api/{serviceId}/client/extension/requestable_scopes/get/{clientId}": { sdkMethod: "client.management.getRequestableScopes", part: "management" },
  "PUT /api/{serviceId}/client/extension/requestable_scopes/update/{clientId}": { sdkMethod: "client.management.updateRequestableScopes", part: "management" },
  // The SDK sends the update as PUT only.
  "POST /api/{serviceId}/client/extension/requestable_scopes/update/{clientId}": { sdkMethod: null, part: "management" },
  "DELETE /api/{serviceId}/client/extension/requestable_scopes/delete/{clientId}": { sdkMethod: "client.management.deleteRequestableScopes", part: "management" },
  // The SDK names the subject in the path (and the query); the query-only and body forms of the spec have no method.
  "GET /api/{serviceId}/client/authorization/get/list": { sdkMethod: null, part: "client-authorization" },
  "POST /api/{serviceId}/client/authorization/get/list": { sdkMethod: null, part: "client-authorization" },
  "GET /api/{serviceId}/client/authorization/get/list/{subject}": { sdkMethod: "client.management.listAuthorizations", part: "client-authorization" },
  "POST /api/{serviceId}/client/authorization/update/{clientId}": { sdkMethod: "client.management.updateAuthorizations", part: "client-authorization" },
  "DELETE /api/{serviceId}/client/authorization/delete/{clientId}": { sdkMethod: null, part: "client-authorization" },
  "POST /api/{serviceId}/client/authorization/delete/{clientId}": { sdkMethod: null, part: "client-authorization" },
  "DELETE /api/{serviceId}/client/authorization/delete/{clientId}/{subject}": { sdkMethod: "client.management.deleteAuthorizations", part: "client-authorization" },
  "GET /api/{serviceId}/client/granted_scopes/get/{clientId}": { sdkMethod: null, part: "client-authorization" },
  "POST /api/{serviceId}/client/granted_scopes/get/{clientId}": { sdkMethod: null, part: "client-authorization" },
  "GET /api/{serviceId}/client/granted_scopes/get/{clientId}/{subject}": { sdkMethod: "client.management.getGrantedScopes", part: "client-authorization" },
  "DELETE /api/{serviceId}/client/granted_scopes/delete/{clientId}": { sdkMethod: null, part: "client-authorization" },
  "DELETE /api/{serviceId}/client/granted_scopes/delete/{clientId}/{subject}": { sdkMethod: "client.management.deleteGrantedScopes", part: "client-authorization" },
  "POST /api/{serviceId}/auth/authorization": { sdkMethod: "authorization.processRequest", part: "runtime" },
  "POST /api/{serviceId}/auth/authorization/issue": { sdkMethod: "authorization.issue", part: "runtime" },
  "POST /api/{serviceId}/auth/authorization/fail": { sdkMethod: "authorization.fail", part: "runtime" },
  "POST /api/{serviceId}/auth/authorization/ticket/info": { sdkMethod: "authorization.management.getTicketInfo", part: "runtime" },
  "POST /api/{serviceId}/auth/authorization/ticket/update": { sdkMethod: "authorization.management.updateTicket", part: "runtime" },
  "POST /api/{serviceId}/pushed_auth_req": { sdkMethod: "pushedAuthorization.create", part: "runtime" },
  "POST /api/{serviceId}/auth/token": { sdkMethod: "token.process", part: "runtime" },
  "POST /api/{serviceId}/auth/token/issue": { sdkMethod: "token.issue", part: "runtime" },
  "POST /api/{serviceId}/auth/token/fail": { sdkMethod: "token.fail", part: "runtime" },
  "GET /api/{serviceId}/auth/token/get/list": { sdkMethod: "token.management.list", part: "token-management" },
  "DELETE /api/{serviceId}/auth/token/delete/{accessTokenIdentifier}": { sdkMethod: "token.management.delete", part: "token-management" },
  "POST /api/{serviceId}/auth/token/revoke": { sdkMethod: "token.management.revoke", part: "token-management" },
  "POST /api/{serviceId}/auth/token/create": { sdkMethod: "token.management.create", part: "token-management" },
  "POST /api/{serviceId}/auth/token/update": { sdkMethod: "token.management.update", part: "token-management" },
  "POST /api/{serviceId}/idtoken/reissue": { sdkMethod: "token.management.reissueIdToken", part: "idtoken-reissue" },
  "POST /api/{serviceId}/nativesso": { sdkMethod: "nativeSso.process", part: "native-sso" },
  "POST /api/{serviceId}/nativesso/logout": { sdkMethod: "nativeSso.logout", part: "native-sso" },
  "POST /api/{serviceId}/jose/verify": { sdkMethod: "joseObject.joseVerifyApi", part: "jose-verify" },
  "POST /api/{serviceId}/auth/introspection": { sdkMethod: "introspection.process", part: "runtime" },
  "POST /api/{serviceId}/auth/introspection/standard": { sdkMethod: "introspection.standardProcess", part: "runtime" },
  "POST /api/{serviceId}/auth/revocation": { sdkMethod: "revocation.process", part: "runtime" },
  "POST /api/{serviceId}/auth/userinfo": { sdkMethod: "userinfo.process", part: "runtime" },
  "POST /api/{serviceId}/auth/userinfo/issue": { sdkMethod: "userinfo.issue", part: "runtime" },
  "POST /api/{serviceId}/backchannel/authentication": { sdkMethod: "ciba.processAuthentication", part: "ciba" },
  "POST /api/{serviceId}/backchannel/authentication/issue": { sdkMethod: "ciba.issue", part: "ciba" },
  "POST /api/{serviceId}/backchannel/authentication/fail": { sdkMethod: "ciba.fail", part: "ciba" },
  "POST /api/{serviceId}/backchannel/authentication/complete": { sdkMethod: "ciba.complete", part: "ciba" },
  "POST /api/{serviceId}/device/authorization": { sdkMethod: "deviceFlow.authorization", part: "device" },
  "POST /api/{serviceId}/device/verification": { sdkMethod: "deviceFlow.verification", part: "device" },
  "POST /api/{serviceId}/device/complete": { sdkMethod: "deviceFlow.complete", part: "device" },
  "POST /api/{serviceId}/gm": { sdkMethod: "grantManagement.processRequest", part: "grant-management" },
  "POST /api/{serviceId}/client/registration": { sdkMethod: "dynamicClientRegistration.register", part: "registration" },
  "POST /api/{serviceId}/client/registration/get": { sdkMethod: "dynamicClientRegistration.get", part: "registration" },
  "POST /api/{serviceId}/client/registration/update": { sdkMethod: "dynamicClientRegistration.update", part: "registration" },
  "POST /api/{serviceId}/client/registration/delete": { sdkMethod: "dynamicClientRegistration.delete", part: "registration" },
};

/** Operations of Authlete's SDK that its published v3 spec leaves out; Tessera's spec has them. */
export const sdkOnlyOperations = ["POST /api/service/create"];

const templates = Object.keys(sdkOperations).map((key) => {
  const [method, path] = key.split(" ") as [string, string];
  const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return { key, method, pattern, placeholders: path.split("{").length - 1 };
});

/** The table key of a request the SDK made; the literal path wins (`client/get/list` over `client/get/{clientId}`). */
export function operationOf(method: string, url: URL): string | undefined {
  return templates
    .filter((template) => template.method === method && template.pattern.test(url.pathname))
    .sort((a, b) => a.placeholders - b.placeholders)[0]?.key;
}
