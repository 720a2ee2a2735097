import type { Prompt } from "../../domain/enums.js";
import {
  AsymmetricJweAlg,
  AsymmetricJwsAlg,
  clientAuthMethodWire,
  DecryptionKeyAlg,
  grantTypeWire,
  HmacJwsAlg,
  jweAlgWire,
  jweEncWire,
  responseModeWire,
  responseTypeWords,
} from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { dpopSigningAlgs } from "../dpop/verify-dpop-proof.js";
import { introspectionAuthMethods } from "../introspection/standard-introspection.js";
import { grantTypeTraits } from "../token/grant-types/index.js";

/**
 * OpenID Provider metadata (OIDC Discovery 1.0 §3) and authorization server metadata (RFC 8414 §2)
 * built from the service's settings. Only what Tessera really does is advertised (catalogue SEC-100):
 * - signing algorithms are every algorithm Tessera signs with: a service gets the key of an algorithm
 *   when a setting first names it (`provision-keys.ts`); HS* for ID tokens and UserInfo, keyed by
 *   the client secret, but not for introspection responses (the resource server shares no secret);
 * - grant types are filtered to the grant types Tessera implements (their `implemented` trait);
 * - request objects (RFC 9101) by value and by reference, `request_uri` only from the client's
 *   registered `requestUris`; signed with any algorithm Tessera verifies, never `none`; optionally
 *   encrypted to the service's decryption keys (RSA-OAEP, ECDH-ES), published once a setting needs them;
 *   `require_signed_request_object` (RFC 9101 §10.5) as Authlete reports it: when the service requires
 *   request objects and processes them by RFC 9101's rules (not `traditionalRequestObjectProcessingApplied`);
 * - `code_challenge_methods_supported` lists S256 always, plain only when the service allows it;
 * - `authorization_response_iss_parameter_supported` follows `issSuppressed` (RFC 9207 §3);
 * - every service answers the JARM response modes (JARM §3): responses are signed as ID tokens are,
 *   and encrypted only to a client's public key (RSA-OAEP, ECDH-ES);
 * - endpoint URLs appear only when the service sets them (the PAR endpoint as
 *   `pushed_authorization_request_endpoint`, RFC 9126 §5; the device authorization endpoint as
 *   `device_authorization_endpoint`, RFC 8628 §4);
 * - `require_pushed_authorization_requests` follows `parRequired`;
 * - `dpop_signing_alg_values_supported` (RFC 9449 §5.1): every service verifies DPoP proofs, with the
 *   algorithms of `dpopSigningAlgs`;
 * - `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.3) is the service's flag, as Authlete
 *   publishes it (a client that registers its own flag gets bound tokens either way); the mutual-TLS
 *   client authentication methods appear in `token_endpoint_auth_methods_supported` when the service
 *   supports them; `mtls_endpoint_aliases` (RFC 8705 §5) maps each of `mtlsEndpointAliases` to its
 *   URL, when the service has any;
 * - CIBA (CIBA Core §4) only when the service offers it (the CIBA grant type and a delivery mode):
 *   `backchannel_authentication_endpoint` when set, the delivery modes, the algorithms a signed
 *   authentication request is verified with (asymmetric only: `bcRequestSignAlg` is), and
 *   `backchannel_user_code_parameter_supported`.
 * - Grant Management for OAuth 2.0 (§6): every service takes `create`, `merge` and `replace` in
 *   authorization requests; `query` and `revoke` are listed when the service names its
 *   `grant_management_endpoint`, which its login server serves through /gm;
 *   `grant_management_action_required` is the service's flag.
 */

const promptWire: Record<Prompt, string> = { NONE: "none", LOGIN: "login", CONSENT: "consent", SELECT_ACCOUNT: "select_account", CREATE: "create" };

/** Algorithms Tessera verifies client assertions with: HMAC for client_secret_jwt, asymmetric for private_key_jwt. */
function authSigningAlgs(methods: readonly string[]): string[] {
  return [...(methods.includes("CLIENT_SECRET_JWT") ? HmacJwsAlg.options : []), ...(methods.includes("PRIVATE_KEY_JWT") ? AsymmetricJwsAlg.options : [])];
}

/** What ID tokens, UserInfo and JARM responses can be signed with (the service's keys, or a client's secret), and what request objects can be verified with (the client's keys or secret). */
const clientSigningAlgs = [...AsymmetricJwsAlg.options, ...HmacJwsAlg.options];

function setIf(target: Record<string, unknown>, name: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  target[name] = value;
}

export function buildConfiguration(service: Service): Record<string, unknown> {
  const tokenAuthMethods = service.supportedTokenAuthMethods;
  const revocationAuthMethods = service.supportedRevocationAuthMethods ?? tokenAuthMethods;
  const introspectionMethods = introspectionAuthMethods(service);

  const doc: Record<string, unknown> = { issuer: service.issuer };
  setIf(doc, "authorization_endpoint", service.authorizationEndpoint);
  setIf(doc, "token_endpoint", service.tokenEndpoint);
  setIf(doc, "userinfo_endpoint", service.userInfoEndpoint);
  setIf(doc, "jwks_uri", service.jwksUri);
  // A registration endpoint is published only while the service registers clients (RFC 8414 section 2).
  if (service.dynamicRegistrationSupported) setIf(doc, "registration_endpoint", service.registrationEndpoint);
  setIf(doc, "end_session_endpoint", service.endSessionEndpoint);
  setIf(doc, "scopes_supported", service.supportedScopes.map((scope) => scope.name));
  doc.response_types_supported = service.supportedResponseTypes.map((type) => responseTypeWords[type].join(" "));
  doc.response_modes_supported = Object.values(responseModeWire);
  setIf(
    doc,
    "grant_types_supported",
    service.supportedGrantTypes.filter((type) => grantTypeTraits(type).implemented).map((type) => grantTypeWire[type]),
  );
  setIf(doc, "acr_values_supported", service.supportedAcrs);
  doc.subject_types_supported = ["public", "pairwise"];
  doc.id_token_signing_alg_values_supported = clientSigningAlgs;
  doc.userinfo_signing_alg_values_supported = clientSigningAlgs;
  doc.authorization_signing_alg_values_supported = clientSigningAlgs;
  doc.authorization_encryption_alg_values_supported = AsymmetricJweAlg.options.map((alg) => jweAlgWire[alg]);
  doc.authorization_encryption_enc_values_supported = Object.values(jweEncWire);
  doc.request_parameter_supported = true;
  doc.request_uri_parameter_supported = true;
  doc.require_request_uri_registration = true;
  doc.request_object_signing_alg_values_supported = clientSigningAlgs;
  doc.request_object_encryption_alg_values_supported = DecryptionKeyAlg.options;
  doc.request_object_encryption_enc_values_supported = Object.values(jweEncWire);
  if (service.requestObjectRequired && !service.traditionalRequestObjectProcessingApplied) doc.require_signed_request_object = true;
  setIf(doc, "token_endpoint_auth_methods_supported", tokenAuthMethods.map((method) => clientAuthMethodWire[method]));
  setIf(doc, "token_endpoint_auth_signing_alg_values_supported", authSigningAlgs(tokenAuthMethods));
  setIf(doc, "display_values_supported", service.supportedDisplays.map((display) => display.toLowerCase()));
  doc.claim_types_supported = (service.supportedClaimTypes ?? ["NORMAL"]).map((type) => type.toLowerCase());
  setIf(doc, "claims_supported", service.supportedClaims);
  setIf(doc, "service_documentation", service.serviceDocumentation);
  setIf(doc, "claims_locales_supported", service.supportedClaimLocales);
  setIf(doc, "ui_locales_supported", service.supportedUiLocales);
  doc.claims_parameter_supported = true;
  // RFC 9396 §10: absent when the service supports no type, as no authorization_details would be accepted.
  setIf(doc, "authorization_details_types_supported", service.supportedAuthorizationDetailsTypes);
  setIf(doc, "op_policy_uri", service.policyUri);
  setIf(doc, "op_tos_uri", service.tosUri);
  if (service.revocationEndpoint) {
    doc.revocation_endpoint = service.revocationEndpoint;
    setIf(doc, "revocation_endpoint_auth_methods_supported", revocationAuthMethods.map((method) => clientAuthMethodWire[method]));
    setIf(doc, "revocation_endpoint_auth_signing_alg_values_supported", authSigningAlgs(revocationAuthMethods));
  }
  if (service.introspectionEndpoint) {
    doc.introspection_endpoint = service.introspectionEndpoint;
    setIf(doc, "introspection_endpoint_auth_methods_supported", introspectionMethods.map((method) => clientAuthMethodWire[method]));
    setIf(doc, "introspection_endpoint_auth_signing_alg_values_supported", authSigningAlgs(introspectionMethods));
    // RFC 9701 §7: the algorithms a JWT introspection response can be signed with.
    doc.introspection_signing_alg_values_supported = AsymmetricJwsAlg.options;
  }
  doc.code_challenge_methods_supported = service.pkceS256Required ? ["S256"] : ["plain", "S256"];
  setIf(doc, "prompt_values_supported", service.supportedPromptValues.map((prompt) => promptWire[prompt]));
  doc.authorization_response_iss_parameter_supported = !service.issSuppressed;
  setIf(doc, "pushed_authorization_request_endpoint", service.pushedAuthReqEndpoint);
  setIf(doc, "device_authorization_endpoint", service.deviceAuthorizationEndpoint);
  doc.require_pushed_authorization_requests = service.parRequired;
  doc.dpop_signing_alg_values_supported = dpopSigningAlgs;
  doc.tls_client_certificate_bound_access_tokens = service.tlsClientCertificateBoundAccessTokens === true;
  const aliases = service.mtlsEndpointAliases ?? [];
  if (aliases.length > 0) doc.mtls_endpoint_aliases = Object.fromEntries(aliases.map((alias) => [alias.name, alias.uri]));
  const grantEndpoint = service.grantManagementEndpoint;
  doc.grant_management_actions_supported = grantEndpoint ? ["create", "merge", "replace", "query", "revoke"] : ["create", "merge", "replace"];
  doc.grant_management_action_required = service.grantManagementActionRequired === true;
  setIf(doc, "grant_management_endpoint", grantEndpoint);
  // OpenID Connect Native SSO §6: said only when true, as its absence means false.
  if (service.nativeSsoSupported) doc.native_sso_supported = true;
  if (service.supportedGrantTypes.includes("CIBA") && service.supportedBackchannelTokenDeliveryModes.length > 0) {
    setIf(doc, "backchannel_authentication_endpoint", service.backchannelAuthenticationEndpoint);
    doc.backchannel_token_delivery_modes_supported = service.supportedBackchannelTokenDeliveryModes.map((mode) => mode.toLowerCase());
    doc.backchannel_authentication_request_signing_alg_values_supported = AsymmetricJwsAlg.options;
    doc.backchannel_user_code_parameter_supported = service.backchannelUserCodeParameterSupported;
  }
  return doc;
}
