import { isIP } from "node:net";
import type { X509Certificate } from "node:crypto";

/** The kinds of subject alternative name a TLS_CLIENT_AUTH client may register (RFC 8705 §2.1.2). */
export type SanKind = "dns" | "uri" | "ip" | "email";

/**
 * The `uniformResourceIdentifier` entries of a certificate's subjectAltName extension, from node's
 * text of it (`DNS:a, URI:b, IP Address:c`). Since node 17.3.1 / 16.13.2 an entry whose value could
 * make that text ambiguous (a comma, a quote, a control character) is written as a JSON string
 * (`URI:"https://a/b,c"`), so the text is read entry by entry, not split on commas.
 */
export function uriSubjectAltNames(certificate: X509Certificate): string[] {
  const text = certificate.subjectAltName;
  if (!text) return [];
  const uris: string[] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(":", i);
    if (colon < 0) break;
    const kind = text.slice(i, colon);
    let value: string;
    let end: number;
    if (text[colon + 1] === '"') {
      end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      end++;
      try {
        value = JSON.parse(text.slice(colon + 1, end)) as string;
      } catch {
        return uris;
      }
    } else {
      const comma = text.indexOf(", ", colon);
      end = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, end);
    }
    if (kind === "URI") uris.push(value);
    i = text.indexOf(", ", end);
    if (i < 0) break;
    i += 2;
  }
  return uris;
}

/**
 * Whether the certificate has a subject alternative name entry of `kind` equal to `expected`
 * (RFC 8705 §2.1.2: "an expected … SAN entry in the certificate"):
 * - dNSName: node's `checkHost` with wildcards off and the subject never consulted, so only a
 *   dNSName entry for that very host matches (DNS names compare case-insensitively, RFC 4343);
 * - iPAddress: `checkIP`, which compares addresses, not spellings (`::1` is `0:0:0:0:0:0:0:1`);
 * - rfc822Name: `checkEmail` with the subject never consulted (the domain part case-insensitively);
 * - uniformResourceIdentifier: node has no check for it, so the entries are compared as strings
 *   (RFC 3986 §6.2.1, simple string comparison: no normalisation the registration did not spell).
 */
export function hasSubjectAltName(certificate: X509Certificate, kind: SanKind, expected: string): boolean {
  switch (kind) {
    case "dns":
      return certificate.checkHost(expected, { subject: "never", wildcards: false, partialWildcards: false }) !== undefined;
    case "ip":
      return isIP(expected) !== 0 && certificate.checkIP(expected) !== undefined;
    case "email":
      return certificate.checkEmail(expected, { subject: "never" }) !== undefined;
    case "uri":
      return uriSubjectAltNames(certificate).includes(expected);
  }
}
