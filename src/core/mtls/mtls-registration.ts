import { isIP } from "node:net";
import type { ClientSettings } from "../../domain/client.js";
import type { ServiceSettings } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import { trustedRootProblem } from "./certificate-chain.js";
import { isDistinguishedName } from "./distinguished-name.js";
import { registeredCertificateNames } from "./tls-client-auth.js";

/** Why a registered certificate name cannot name any certificate, or null. */
function nameProblem(kind: string, value: string): string | null {
  switch (kind) {
    case "subjectDn":
      return isDistinguishedName(value) ? null : "tlsClientAuthSubjectDn is not an RFC 4514 distinguished name";
    case "ip":
      return isIP(value) ? null : "tlsClientAuthSanIp is not an IPv4 or IPv6 address";
    case "uri":
      return URL.canParse(value) ? null : "tlsClientAuthSanUri is not an absolute URI";
    case "email":
      return /^[^@\s]+@[^@\s]+$/.test(value) ? null : "tlsClientAuthSanEmail is not an email address";
    default:
      return /^[^\s/@]+$/.test(value) ? null : "tlsClientAuthSanDns is not a DNS name";
  }
}

/**
 * The registration rules of the mutual-TLS client authentication methods, each refused with its own
 * code:
 * - RFC 8705 §2.1.2: a TLS_CLIENT_AUTH client registers exactly one of `tlsClientAuthSubjectDn` and
 *   the `tlsClientAuthSan*` fields, and it must be able to name a certificate (a DN that reads,
 *   an IP address, an absolute URI, …) → A003211;
 * - RFC 8705 §2.2.2: a SELF_SIGNED_TLS_CLIENT_AUTH client conveys its certificates in `jwks` or
 *   `jwksUri`; a `selfSignedCertificateKeyId` must name a key of its `jwks` that holds `x5c` → A003212.
 * A client of another method may hold these fields; they are stored and unused.
 */
export function refuseInvalidMtlsClient(client: ClientSettings): void {
  if (client.tokenAuthMethod === "TLS_CLIENT_AUTH") {
    const names = registeredCertificateNames(client);
    if (names.length !== 1) {
      throw new CallerError("clientTlsCertificateNameInvalid", names.length === 0 ? "none is registered" : `${names.map((name) => name.field).join(" and ")} are registered`);
    }
    const [name] = names as [(typeof names)[number]];
    const problem = nameProblem(name.kind, name.value);
    if (problem) throw new CallerError("clientTlsCertificateNameInvalid", problem);
  }
  if (client.tokenAuthMethod === "SELF_SIGNED_TLS_CLIENT_AUTH") {
    if (!client.jwks && !client.jwksUri) throw new CallerError("clientSelfSignedCertificateInvalid", "neither is registered");
    const keyId = client.selfSignedCertificateKeyId;
    if (keyId && client.jwks) {
      const keys = (JSON.parse(client.jwks) as { keys?: Array<{ kid?: unknown; x5c?: unknown }> }).keys ?? [];
      const named = keys.find((key) => key.kid === keyId);
      if (!named) throw new CallerError("clientSelfSignedCertificateInvalid", `selfSignedCertificateKeyId ${keyId} names no key of jwks`);
      if (!Array.isArray(named.x5c) || named.x5c.length === 0) {
        throw new CallerError("clientSelfSignedCertificateInvalid", `the key ${keyId} of jwks has no x5c certificate`);
      }
    }
  }
}

/**
 * `trustedRootCertificates` are the trust anchors of PKI client authentication (RFC 8705 §2.1):
 * each must be a CA certificate in PEM, refused with its index otherwise (A002205); and
 * `mutualTlsValidatePkiCertChain` without any would refuse every TLS_CLIENT_AUTH client, so that
 * combination is invalid settings (A002202).
 */
export function refuseUntrustworthyRoots(settings: Pick<ServiceSettings, "trustedRootCertificates" | "mutualTlsValidatePkiCertChain">): void {
  const roots = settings.trustedRootCertificates ?? [];
  roots.forEach((pem, index) => {
    const problem = trustedRootProblem(pem);
    if (problem) throw new CallerError("serviceTrustedRootInvalid", index, problem);
  });
  if (settings.mutualTlsValidatePkiCertChain && roots.length === 0) {
    throw new CallerError("serviceSettingsInvalid", "mutualTlsValidatePkiCertChain: chains are validated against trustedRootCertificates, which lists none");
  }
}
