/**
 * Distinguished names as RFC 4517 §4.2.15 (distinguishedNameMatch) compares them, for
 * `tlsClientAuthSubjectDn` (RFC 8705 §2.1.2): the client registers its certificate's subject as an
 * RFC 4514 string, and the certificate's subject (as node:crypto prints it) must be the same name —
 * the same RDNs in the same order, each the same set of attribute types with matching values — not
 * the same characters.
 *
 * - Attribute types match by OID: `CN`, `cn`, `commonName`, `2.5.4.3` and `OID.2.5.4.3` are one type.
 * - Values are compared after RFC 4518 string preparation as caseIgnoreMatch (RFC 4517 §4.2.11), the
 *   equality rule of every naming attribute in use in client certificates (RFC 4519: cn, o, ou, c,
 *   l, st, street, dc, uid, serialNumber, …; PKCS #9 emailAddress is caseIgnoreIA5Match): Unicode
 *   NFKC, case folded, leading and trailing spaces dropped and inner runs of spaces made one.
 * - Escapes (`\,`, `\2C`, UTF-8 as `\C3\BC`) and quoted values (RFC 2253 §4) are read as the
 *   characters they stand for; `#` followed by hex is a BER value (RFC 4514 §2.4), read when it is
 *   one of the string types.
 * - RDN order: RFC 4514 §2.1 writes the last RDN of the X.509 sequence first (`CN=client,O=Acme,C=US`
 *   is C, then O, then CN); node prints a subject in sequence order, one RDN a line. The order is
 *   significant: `CN=a,CN=b` is not `CN=b,CN=a`.
 * - Within a multi-valued RDN (`OU=x+CN=y`) the order is not significant (an RDN is a set).
 */

/** One attribute of an RDN: its type (an OID when known, else the upper-cased descriptor) and its prepared value. */
interface NameAttribute {
  type: string;
  value: string;
}

/** An RDN: a set of attributes, kept sorted so two sets compare element by element. */
type Rdn = NameAttribute[];

/** Descriptors (upper case) of the attribute types a client certificate's subject may hold, to their OIDs. */
const attributeOids: Record<string, string> = {
  CN: "2.5.4.3",
  COMMONNAME: "2.5.4.3",
  SN: "2.5.4.4",
  SURNAME: "2.5.4.4",
  SERIALNUMBER: "2.5.4.5",
  C: "2.5.4.6",
  COUNTRYNAME: "2.5.4.6",
  L: "2.5.4.7",
  LOCALITYNAME: "2.5.4.7",
  ST: "2.5.4.8",
  S: "2.5.4.8",
  STATEORPROVINCENAME: "2.5.4.8",
  STREET: "2.5.4.9",
  STREETADDRESS: "2.5.4.9",
  O: "2.5.4.10",
  ORGANIZATIONNAME: "2.5.4.10",
  OU: "2.5.4.11",
  ORGANIZATIONALUNITNAME: "2.5.4.11",
  TITLE: "2.5.4.12",
  BUSINESSCATEGORY: "2.5.4.15",
  POSTALCODE: "2.5.4.17",
  NAME: "2.5.4.41",
  GN: "2.5.4.42",
  GIVENNAME: "2.5.4.42",
  INITIALS: "2.5.4.43",
  GENERATIONQUALIFIER: "2.5.4.44",
  DNQUALIFIER: "2.5.4.46",
  PSEUDONYM: "2.5.4.65",
  ORGANIZATIONIDENTIFIER: "2.5.4.97",
  DC: "0.9.2342.19200300.100.1.25",
  DOMAINCOMPONENT: "0.9.2342.19200300.100.1.25",
  UID: "0.9.2342.19200300.100.1.1",
  USERID: "0.9.2342.19200300.100.1.1",
  E: "1.2.840.113549.1.9.1",
  EMAIL: "1.2.840.113549.1.9.1",
  EMAILADDRESS: "1.2.840.113549.1.9.1",
  JURISDICTIONL: "1.3.6.1.4.1.311.60.2.1.1",
  JURISDICTIONST: "1.3.6.1.4.1.311.60.2.1.2",
  JURISDICTIONC: "1.3.6.1.4.1.311.60.2.1.3",
};

const NUMERIC_OID = /^\d+(\.\d+)+$/;
const DESCRIPTOR = /^[A-Za-z][A-Za-z0-9-]*$/;

function attributeType(text: string): string | null {
  const type = text.trim();
  const oid = type.toUpperCase().startsWith("OID.") ? type.slice(4) : type;
  if (NUMERIC_OID.test(oid)) return oid;
  if (!DESCRIPTOR.test(type)) return null;
  return attributeOids[type.toUpperCase()] ?? type.toUpperCase();
}

/** RFC 4518 §2: NFKC, case folding, insignificant space handling (caseIgnoreMatch). */
function prepare(value: string): string {
  return value.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** DER string types a `#hex` value (RFC 4514 §2.4) may hold: UTF8String, PrintableString, IA5String, T61 (read as Latin-1), BMPString. */
function berString(hex: string): string | null {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return null;
  const bytes = Buffer.from(hex, "hex");
  const tag = bytes[0];
  let length = bytes[1] ?? 0;
  let offset = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 2) return null;
    length = bytes.readUIntBE(2, count);
    offset = 2 + count;
  }
  if (offset + length !== bytes.length) return null;
  const content = bytes.subarray(offset);
  switch (tag) {
    case 0x0c:
    case 0x13:
    case 0x16:
      return utf8(content);
    case 0x14:
      return content.toString("latin1");
    case 0x1e:
      return content.length % 2 === 0 ? Buffer.from(content).swap16().toString("utf16le") : null;
    default:
      return null;
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function utf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/** How a DN text separates its RDNs: RFC 4514 (`,`, and `;` as RFC 2253 §4 allows), or node's lines. */
type Layout = "rfc4514" | "lines";

/**
 * Reads a DN text into RDNs in the order written, or null when it is not a DN. The same reader serves
 * both layouts: node escapes values as RFC 2253 does (`ASN1_STRFLGS_ESC_2253`, control characters as
 * `\XX`) and separates the attributes of a multi-valued RDN by ` + `.
 */
function readDn(text: string, layout: Layout): Rdn[] | null {
  const isRdnSeparator = (c: string) => (layout === "lines" ? c === "\n" : c === "," || c === ";");
  const rdns: Rdn[] = [];
  let rdn: Rdn = [];
  let i = 0;
  const n = text.length;
  if (text.trim() === "") return null;
  while (i < n) {
    // attribute type up to '='
    const eq = text.indexOf("=", i);
    if (eq < 0) return null;
    const type = attributeType(text.slice(i, eq));
    if (type === null) return null;
    i = eq + 1;
    while (i < n && text[i] === " ") i++;
    // value up to an unescaped separator
    let value: string | null;
    if (text[i] === "#") {
      let end = i + 1;
      while (end < n && !isRdnSeparator(text[end] ?? "") && text[end] !== "+") end++;
      value = berString(text.slice(i + 1, end).trim());
      i = end;
    } else {
      const bytes: number[] = [];
      const push = (s: string) => bytes.push(...Buffer.from(s, "utf8"));
      let quoted = false;
      if (text[i] === '"') {
        quoted = true;
        i++;
      }
      while (i < n) {
        const c = text[i] as string;
        if (c === "\\") {
          const pair = text.slice(i + 1, i + 3);
          if (HEX_PAIR.test(pair)) {
            bytes.push(Number.parseInt(pair, 16));
            i += 3;
          } else if (i + 1 < n) {
            push(text[i + 1] as string);
            i += 2;
          } else return null;
          continue;
        }
        if (quoted) {
          if (c === '"') {
            quoted = false;
            i++;
            break;
          }
        } else if (isRdnSeparator(c) || c === "+") break;
        push(c);
        i++;
      }
      if (quoted) return null;
      value = utf8(Uint8Array.from(bytes));
    }
    if (value === null) return null;
    rdn.push({ type, value: prepare(value) });
    while (i < n && text[i] === " ") i++;
    if (i >= n) break;
    const separator = text[i] as string;
    i++;
    if (separator === "+") continue;
    if (!isRdnSeparator(separator)) return null;
    rdns.push(rdn);
    rdn = [];
    while (i < n && text[i] === " ") i++;
    if (i >= n) return null;
  }
  rdns.push(rdn);
  return rdns.map((set) => set.sort((a, b) => (a.type === b.type ? a.value.localeCompare(b.value) : a.type < b.type ? -1 : 1)));
}

/** Whether an RFC 4514 string reads as a distinguished name (a client's registration is checked with it). */
export function isDistinguishedName(rfc4514: string): boolean {
  return readDn(rfc4514, "rfc4514") !== null;
}

function sameRdn(a: Rdn, b: Rdn): boolean {
  return a.length === b.length && a.every((attribute, index) => attribute.type === b[index]?.type && attribute.value === b[index]?.value);
}

/**
 * Whether the registered RFC 4514 DN names the certificate's subject, given as node:crypto's
 * `X509Certificate.subject` (RFC 4517 §4.2.15). False when either does not read as a DN.
 */
export function subjectMatchesDistinguishedName(registered: string, certificateSubject: string): boolean {
  const expected = readDn(registered, "rfc4514");
  const actual = readDn(certificateSubject, "lines");
  if (!expected || !actual || expected.length !== actual.length) return false;
  // RFC 4514 §2.1: the string lists the RDNs from the last of the sequence to the first.
  const inSequenceOrder = expected.reverse();
  return inSequenceOrder.every((rdn, index) => sameRdn(rdn, actual[index] as Rdn));
}
