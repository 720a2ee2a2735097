import { beforeAll, describe, expect, it } from "vitest";
import { isDistinguishedName, subjectMatchesDistinguishedName } from "../../src/core/mtls/distinguished-name.js";
import { createRootCa, type TestCertificateAuthority } from "../helpers/certificates.js";

let ca: TestCertificateAuthority;
const subjects: Record<string, string> = {};

async function subjectOf(rfc4514: string): Promise<string> {
  subjects[rfc4514] ??= (await ca.issue({ subject: rfc4514 })).x509.subject;
  return subjects[rfc4514] as string;
}

beforeAll(async () => {
  ca = await createRootCa();
});

describe("tlsClientAuthSubjectDn matching (RFC 4517 distinguishedNameMatch, RFC 4514 strings)", () => {
  const acme = "CN=client one,O=Acme\\, Inc.,C=US";

  it.each([
    ["the same string", acme],
    ["attribute types in any case, values case-insensitively", "cn=CLIENT ONE,o=acme\\, inc.,c=us"],
    ["descriptive type names and numeric OIDs", "commonName=client one,OID.2.5.4.10=Acme\\, Inc.,2.5.4.6=US"],
    ["spaces around separators and runs of inner spaces", " CN = client   one ,  O=Acme\\, Inc. , C=US "],
    ["hex escapes", "CN=client\\20one,O=Acme\\2C Inc.,C=US"],
    ["a quoted value (RFC 2253 section 4)", 'CN=client one,O="Acme, Inc.",C=US'],
    ["semicolons between RDNs (RFC 2253 section 4)", "CN=client one;O=Acme\\, Inc.;C=US"],
    ["a BER-encoded value (#hex of a UTF8String)", "CN=#0c0a636c69656e74206f6e65,O=Acme\\, Inc.,C=US"],
  ])("matches %s", async (_case, registered) => {
    expect(subjectMatchesDistinguishedName(registered, await subjectOf(acme))).toBe(true);
  });

  it.each([
    ["RDNs in X.509 order (RFC 4514 writes the last RDN first)", "C=US,O=Acme\\, Inc.,CN=client one"],
    ["an RDN missing", "CN=client one,C=US"],
    ["an RDN more", "CN=client one,OU=ops,O=Acme\\, Inc.,C=US"],
    ["another value", "CN=client two,O=Acme\\, Inc.,C=US"],
    ["the unescaped comma splitting O in two RDNs", "CN=client one,O=Acme, Inc.,C=US"],
    ["another attribute type with the same value", "CN=client one,OU=Acme\\, Inc.,C=US"],
    ["a value that is a prefix", "CN=client,O=Acme\\, Inc.,C=US"],
  ])("does not match %s", async (_case, registered) => {
    expect(subjectMatchesDistinguishedName(registered, await subjectOf(acme))).toBe(false);
  });

  it("compares a multi-valued RDN as a set", async () => {
    const subject = await subjectOf("CN=client+OU=ops,O=Acme");
    expect(subjectMatchesDistinguishedName("OU=ops+CN=client,O=Acme", subject)).toBe(true);
    expect(subjectMatchesDistinguishedName("CN=client + OU=ops,O=Acme", subject)).toBe(true);
    expect(subjectMatchesDistinguishedName("CN=client,OU=ops,O=Acme", subject)).toBe(false);
    expect(subjectMatchesDistinguishedName("CN=client,O=Acme", subject)).toBe(false);
  });

  it("reads UTF-8 escapes and compares after Unicode normalisation (NFKC)", async () => {
    const subject = await subjectOf("CN=Zoë,O=Acme");
    expect(subjectMatchesDistinguishedName("CN=Zo\\C3\\AB,O=Acme", subject)).toBe(true);
    expect(subjectMatchesDistinguishedName("CN=Zoe\u0308,O=Acme", subject)).toBe(true);
    expect(subjectMatchesDistinguishedName("CN=ZOË,O=Acme", subject)).toBe(true);
    expect(subjectMatchesDistinguishedName("CN=Zoe,O=Acme", subject)).toBe(false);
  });

  it("knows emailAddress, DC and escaped special characters in the certificate", async () => {
    expect(subjectMatchesDistinguishedName("emailAddress=ops@example.com,CN=x", await subjectOf("E=Ops@Example.com,CN=x"))).toBe(true);
    expect(subjectMatchesDistinguishedName("E=ops@example.com,CN=x", await subjectOf("E=Ops@Example.com,CN=x"))).toBe(true);
    expect(subjectMatchesDistinguishedName("DC=example,DC=com", await subjectOf("DC=example,DC=com"))).toBe(true);
    expect(subjectMatchesDistinguishedName("DC=com,DC=example", await subjectOf("DC=example,DC=com"))).toBe(false);
    expect(subjectMatchesDistinguishedName("CN=a\\+b,O=x", await subjectOf("CN=a\\+b,O=x"))).toBe(true);
    expect(subjectMatchesDistinguishedName("CN=a\\2Bb,O=x", await subjectOf("CN=a\\+b,O=x"))).toBe(true);
  });

  it.each([["CN"], ["=x"], ["CN=a,"], ["CN=a\\"], ['CN="open'], ["C N=x"], [""], ["   "], ["CN=#zz"], ["CN=#0c05ab"]])(
    "refuses %j as a distinguished name",
    async (text) => {
      expect(isDistinguishedName(text)).toBe(false);
      expect(subjectMatchesDistinguishedName(text, await subjectOf("CN=x"))).toBe(false);
    },
  );
});
