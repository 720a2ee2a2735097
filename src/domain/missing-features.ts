/**
 * The features Tessera does not have yet, named once: a `pending` field of the field tables says which
 * one it waits for (and the issue that builds it, or that none is planned), and that name is what a
 * refusal and docs/authlete-compatibility.md show.
 */
export const missingFeature = {
  ATTESTATION: "attestation-based client authentication; not planned in this wave",
  DCR: "dynamic client registration, issue 19",
  DIRECT: "Authlete-hosted direct endpoints; Tessera is headless and has none",
  KEYS: "service-held JWK sets; Tessera generates and rotates its own keys (service/keys/rotate)",
  IDA: "OpenID Connect for Identity Assurance; not planned",
  FEDERATION: "OpenID Federation; not planned",
  VCI: "OpenID for Verifiable Credential Issuance; not planned",
  CIMD: "client ID metadata documents; not planned",
  CONSOLE: "Authlete's developer console and social login; not planned",
  HSM: "hardware security modules; not planned",
  FAPI: "FAPI profiles; planned after issues 15 and 16",
  SIGNATURES: "HTTP message signatures; not planned",
  ENCRYPTION: "encrypted ID tokens and UserInfo responses (JWE)",
} as const;
