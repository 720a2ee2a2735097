import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { chainProblem, trustedRoots } from "./certificate-chain.js";
import type { PresentedCertificate } from "./client-certificate.js";
import { subjectMatchesDistinguishedName } from "./distinguished-name.js";
import { hasSubjectAltName, type SanKind } from "./subject-alternative-names.js";

/** What a TLS_CLIENT_AUTH client registered to name its certificate: one of these (RFC 8705 §2.1.2). */
export type RegisteredCertificateName =
  | { kind: "subjectDn"; field: "tlsClientAuthSubjectDn"; value: string }
  | { kind: SanKind; field: "tlsClientAuthSanDns" | "tlsClientAuthSanUri" | "tlsClientAuthSanIp" | "tlsClientAuthSanEmail"; value: string };

export type TlsClientAuthFields = Pick<
  Client,
  "tlsClientAuthSubjectDn" | "tlsClientAuthSanDns" | "tlsClientAuthSanUri" | "tlsClientAuthSanIp" | "tlsClientAuthSanEmail"
>;

/** The names a client registered for its certificate, in the order of RFC 8705 §2.1.2 (registration allows exactly one). */
export function registeredCertificateNames(client: TlsClientAuthFields): RegisteredCertificateName[] {
  const names: RegisteredCertificateName[] = [];
  if (client.tlsClientAuthSubjectDn) names.push({ kind: "subjectDn", field: "tlsClientAuthSubjectDn", value: client.tlsClientAuthSubjectDn });
  if (client.tlsClientAuthSanDns) names.push({ kind: "dns", field: "tlsClientAuthSanDns", value: client.tlsClientAuthSanDns });
  if (client.tlsClientAuthSanUri) names.push({ kind: "uri", field: "tlsClientAuthSanUri", value: client.tlsClientAuthSanUri });
  if (client.tlsClientAuthSanIp) names.push({ kind: "ip", field: "tlsClientAuthSanIp", value: client.tlsClientAuthSanIp });
  if (client.tlsClientAuthSanEmail) names.push({ kind: "email", field: "tlsClientAuthSanEmail", value: client.tlsClientAuthSanEmail });
  return names;
}

/**
 * PKI mutual-TLS client authentication (RFC 8705 §2.1). The certificate is trusted:
 * - when the service sets `mutualTlsValidatePkiCertChain`, by Tessera: the chain of `clientCertificate`
 *   and `clientCertificatePath` must lead to one of `trustedRootCertificates` (`chainProblem`);
 * - otherwise, as the TLS terminator in front of the login server validated it (Authlete's model:
 *   the terminator asks for and validates client certificates against the PKI the deployment trusts,
 *   and the login server relays only what passed).
 * Then the certificate must carry the name the client registered: its subject DN, or a subject
 * alternative name of the registered kind (§2.1.2). Returns why it does not authenticate the
 * client, for the log, or null when it does.
 */
export function pkiCertificateProblem(
  service: Pick<Service, "mutualTlsValidatePkiCertChain" | "trustedRootCertificates">,
  client: TlsClientAuthFields,
  presented: PresentedCertificate,
  now: number,
): string | null {
  if (service.mutualTlsValidatePkiCertChain) {
    const problem = chainProblem(presented.certificate, presented.path, trustedRoots(service.trustedRootCertificates), now);
    if (problem) return problem;
  }
  const [name] = registeredCertificateNames(client);
  if (!name) return "the client registered neither a subject DN nor a subject alternative name";
  const { certificate } = presented;
  const matches = name.kind === "subjectDn" ? subjectMatchesDistinguishedName(name.value, certificate.subject) : hasSubjectAltName(certificate, name.kind, name.value);
  return matches ? null : `the certificate does not carry the registered ${name.field}`;
}
