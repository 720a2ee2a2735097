// Test PKI made at run time: a root CA, intermediates, client and server certificates, expired and
// self-signed ones, each with its private key as PEM, for the mutual-TLS tests (RFC 8705) and for
// the e2e tests that run a real TLS listener.
//
// Why @peculiar/x509: node:crypto reads X.509 certificates but cannot make them. @peculiar/x509 is
// a maintained TypeScript library made for generating certificates over WebCrypto, so the PKI is
// built in-process (no child process, no file, no dependency on the machine's openssl binary) and
// works the same on a fresh clone. It needs the `reflect-metadata` polyfill (its tsyringe
// container), imported here first; both are devDependencies and never reach src/.
import "reflect-metadata";
import { KeyObject, X509Certificate, createHash, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { type JWK, calculateJwkThumbprint, exportJWK } from "jose";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto);

/** The key type of a test certificate: P-256 is fast to make; RSA 2048 for interoperability tests. */
export type TestKeyAlgorithm = "ES256" | "RS256";

export interface TestCertificate {
  /** The certificate, PEM. */
  pem: string;
  /** Its private key, PKCS#8 PEM. */
  privateKeyPem: string;
  /** Node's reading of the certificate. */
  x509: X509Certificate;
  /** base64url(SHA-256(DER)): the `x5t#S256` a token bound to this certificate carries (RFC 8705 §3.1). */
  thumbprint: string;
  keyAlgorithm: TestKeyAlgorithm;
}

export interface TestCertificateAuthority extends TestCertificate {
  /** Issues a leaf certificate (a client's, or a server's with `san.dns`) signed by this CA. */
  issue(options: LeafCertificateOptions): Promise<TestCertificate>;
  /** Issues a subordinate CA signed by this one. */
  issueIntermediate(subject: string, options?: ValidityOptions): Promise<TestCertificateAuthority>;
}

export interface SubjectAlternativeNames {
  dns?: string[];
  uri?: string[];
  ip?: string[];
  email?: string[];
}

export interface ValidityOptions {
  notBefore?: Date;
  notAfter?: Date;
  /** Shortcut: valid from two days ago until yesterday. */
  expired?: boolean;
  keyAlgorithm?: TestKeyAlgorithm;
}

export interface LeafCertificateOptions extends ValidityOptions {
  /** RFC 4514 string, most specific RDN first (`CN=client,O=Acme,C=US`): encoded in X.509 order (C, O, CN). */
  subject: string;
  san?: SubjectAlternativeNames;
}

export interface SelfSignedClientCertificate extends TestCertificate {
  /** The client's public JWK for its `jwks`: `kid`, `alg`, `use: sig` and `x5c` holding this certificate. */
  publicJwk: JWK;
  privateJwk: JWK;
}

const ALGORITHMS: Record<TestKeyAlgorithm, webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams> = {
  ES256: { name: "ECDSA", namedCurve: "P-256" },
  RS256: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
};

function signingAlgorithm(alg: TestKeyAlgorithm): webcrypto.Algorithm | webcrypto.EcdsaParams {
  return alg === "ES256" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" };
}

async function generateKeys(alg: TestKeyAlgorithm): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHMS[alg], true, ["sign", "verify"])) as CryptoKeyPair;
}

/** RFC 4514 lists RDNs from the most specific; X.509 encodes them from the root (RFC 4514 §2.1). */
function x509Name(rfc4514: string): x509.Name {
  return new x509.Name(new x509.Name(rfc4514).toJSON().reverse());
}

const DAY_MS = 86_400_000;

function validity(options: ValidityOptions): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  if (options.expired) return { notBefore: new Date(now - 2 * DAY_MS), notAfter: new Date(now - DAY_MS) };
  return {
    notBefore: options.notBefore ?? new Date(now - 60_000),
    notAfter: options.notAfter ?? new Date(now + 365 * DAY_MS),
  };
}

function sanExtension(san: SubjectAlternativeNames): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension([
    ...(san.dns ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(san.uri ?? []).map((value) => ({ type: "url" as const, value })),
    ...(san.ip ?? []).map((value) => ({ type: "ip" as const, value })),
    ...(san.email ?? []).map((value) => ({ type: "email" as const, value })),
  ]);
}

function privateKeyPem(key: CryptoKey): string {
  return KeyObject.from(key).export({ type: "pkcs8", format: "pem" }).toString();
}

function toTestCertificate(cert: x509.X509Certificate, keys: CryptoKeyPair, keyAlgorithm: TestKeyAlgorithm): TestCertificate {
  const pem = `${cert.toString("pem").trim()}\n`;
  const node = new X509Certificate(pem);
  return {
    pem,
    privateKeyPem: privateKeyPem(keys.privateKey),
    x509: node,
    thumbprint: createHash("sha256").update(node.raw).digest("base64url"),
    keyAlgorithm,
  };
}

interface Issuer {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  keyAlgorithm: TestKeyAlgorithm;
}

function authority(issuer: Issuer): TestCertificateAuthority {
  return {
    ...toTestCertificate(issuer.cert, issuer.keys, issuer.keyAlgorithm),
    issue: (options) => issueLeaf(issuer, options),
    issueIntermediate: (subject, options) => issueCa(issuer, subject, options ?? {}),
  };
}

async function caExtensions(keys: CryptoKeyPair, issuer: Issuer | undefined): Promise<x509.Extension[]> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  return extensions;
}

async function issueCa(issuer: Issuer, subject: string, options: ValidityOptions): Promise<TestCertificateAuthority> {
  const keyAlgorithm = options.keyAlgorithm ?? "ES256";
  const keys = await generateKeys(keyAlgorithm);
  const cert = await x509.X509CertificateGenerator.create({
    subject: x509Name(subject),
    issuer: issuer.cert.subjectName,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithm(issuer.keyAlgorithm),
    extensions: await caExtensions(keys, issuer),
    ...validity(options),
  });
  return authority({ cert, keys, keyAlgorithm });
}

async function leafExtensions(keys: CryptoKeyPair, keyAlgorithm: TestKeyAlgorithm, san: SubjectAlternativeNames | undefined): Promise<x509.Extension[]> {
  const usage =
    keyAlgorithm === "RS256" ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (san) extensions.push(sanExtension(san));
  return extensions;
}

async function issueLeaf(issuer: Issuer, options: LeafCertificateOptions): Promise<TestCertificate> {
  const keyAlgorithm = options.keyAlgorithm ?? "ES256";
  const keys = await generateKeys(keyAlgorithm);
  const extensions = await leafExtensions(keys, keyAlgorithm, options.san);
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  const cert = await x509.X509CertificateGenerator.create({
    subject: x509Name(options.subject),
    issuer: issuer.cert.subjectName,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithm(issuer.keyAlgorithm),
    extensions,
    ...validity(options),
  });
  return toTestCertificate(cert, keys, keyAlgorithm);
}

/** A self-signed root CA. */
export async function createRootCa(subject = "CN=Tessera Test Root CA,O=Tessera Tests", options: ValidityOptions = {}): Promise<TestCertificateAuthority> {
  const keyAlgorithm = options.keyAlgorithm ?? "ES256";
  const keys = await generateKeys(keyAlgorithm);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: x509Name(subject),
    keys,
    signingAlgorithm: signingAlgorithm(keyAlgorithm),
    extensions: await caExtensions(keys, undefined),
    ...validity(options),
  });
  return authority({ cert, keys, keyAlgorithm });
}

export interface TestPki {
  root: TestCertificateAuthority;
  intermediate: TestCertificateAuthority;
  /** A client (or server) certificate signed by the intermediate. */
  issue(options: LeafCertificateOptions): Promise<TestCertificate>;
  /** The PEMs between a leaf of `issue` and the root, leaf side first: what `clientCertificatePath` carries. */
  path: string[];
}

/** Root CA → intermediate CA, ready to issue leaves. */
export async function createTestPki(options: { keyAlgorithm?: TestKeyAlgorithm } = {}): Promise<TestPki> {
  const root = await createRootCa(undefined, options);
  const intermediate = await root.issueIntermediate("CN=Tessera Test Intermediate CA,O=Tessera Tests", options);
  return { root, intermediate, issue: (leaf) => intermediate.issue({ keyAlgorithm: options.keyAlgorithm, ...leaf }), path: [intermediate.pem] };
}

/**
 * A self-signed client certificate (RFC 8705 §2.2) and the client's JWK for it: the public key with
 * `x5c` [the certificate], `kid` (its RFC 7638 thumbprint unless given) and `alg`.
 */
export async function createSelfSignedClientCertificate(options: LeafCertificateOptions & { kid?: string }): Promise<SelfSignedClientCertificate> {
  const keyAlgorithm = options.keyAlgorithm ?? "ES256";
  const keys = await generateKeys(keyAlgorithm);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: x509Name(options.subject),
    keys,
    signingAlgorithm: signingAlgorithm(keyAlgorithm),
    extensions: await leafExtensions(keys, keyAlgorithm, options.san),
    ...validity(options),
  });
  const base = toTestCertificate(cert, keys, keyAlgorithm);
  const publicJwk = await exportJWK(keys.publicKey);
  const kid = options.kid ?? (await calculateJwkThumbprint(publicJwk));
  const x5c = [Buffer.from(base.x509.raw).toString("base64")];
  return {
    ...base,
    publicJwk: { ...publicJwk, kid, alg: keyAlgorithm, use: "sig", x5c },
    privateJwk: { ...(await exportJWK(keys.privateKey)), kid, alg: keyAlgorithm },
  };
}
