import { decodeProtectedHeader, errors, type JWK, type JWSHeaderParameters, type JWTPayload, jwtVerify } from "jose";
import { safeEqual, sha256 } from "../../crypto/secrets.js";
import { AsymmetricJwsAlg, isHmacJwsAlg } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import type { ReplayStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { type ResultCodeName, resultText } from "../result-codes.js";
import { normaliseHtu } from "./dpop-htu.js";
import { isValidDpopNonce } from "./dpop-nonce.js";
import { type ProofKey, proofKey } from "./proof-keys.js";

/**
 * DPoP proof verification, RFC 9449 §4.3, each failure with its own description and result code
 * (A3303xx). The checks run in this order (the RFC's step numbers in brackets); the `jti` is used up
 * last, so a refused proof does not spend it:
 * - [1, 2] one `DPoP` value that is a compact JWS (a login server that joined two headers with ", "
 *   sends something else), at most MAX_DPOP_PROOF_LENGTH characters;
 * - [4] header `typ` `dpop+jwt` (RFC 7515 §4.1.9: `application/dpop+jwt` and any case mean the same);
 * - [5] `alg` an asymmetric algorithm of `dpopSigningAlgs` (never `none`, never HS*); no `crit`;
 * - [7] header `jwk` a public key only: no private members, not `oct`;
 * - [6] the signature verifies with that `jwk` (imported once per header, `proof-keys.ts`; a key jose
 *   cannot use is malformed);
 * - [3] claims `jti` (a string of at most 256 characters), `htm`, `htu` (strings) and `iat` (a number);
 * - [8, 9] `htm` is the request's method (case-sensitive, RFC 9110 §9.1) and `htu` its URL, both
 *   without query and fragment, normalised as `dpop-htu.ts` says (trailing slashes count);
 * - [11] `iat` within DPOP_PROOF_LIFETIME_S + skew in the past and skew in the future (§11.1);
 * - [12] with an access token, `ath` is base64url(SHA-256(token)) (the key binding is the caller's);
 * - [10] a `nonce`, when the proof carries one, is a nonce of this service still valid (§8, even when
 *   nonces are not required: a stale one means the client should take the new one), and one is
 *   required when the service or the request says so; both failures are `use_dpop_nonce`;
 * - [§11.1] `jti` used once per service and key within the window, through the replay store that
 *   every node shares.
 * Unknown header members and claims are ignored (§4.2 allows more). Every other failure is
 * `invalid_dpop_proof` (§5 and §7.1 use the same error code at both servers).
 */

export interface DpopProofCheck {
  /** The DPoP header value. */
  proof: string;
  /** The expected method (the caller applies the endpoint default). */
  htm: string;
  /** The expected URL (the caller applies the endpoint default). */
  htu: string;
  /** When the proof accompanies an access token, `ath` must match it (§4.3 step 11). */
  accessToken?: string | null;
  /** The service's `dpopNonceRequired` or the request's `dpopNonceRequired`. */
  nonceRequired: boolean;
}

export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's `jwk` (base64url): `cnf.jkt` (§6.1). */
  jkt: string;
}

/** The algorithms a proof may be signed with: every asymmetric JWS algorithm Tessera verifies; discovery's `dpop_signing_alg_values_supported`. */
export const dpopSigningAlgs: readonly AsymmetricJwsAlg[] = AsymmetricJwsAlg.options;

/** How long after its `iat` a proof is accepted (§11.1: a short window; FAPI's tests send proofs up to 10 s old). */
export const DPOP_PROOF_LIFETIME_S = 60;
/**
 * The least clock difference tolerated on `iat`, in either direction: the service's
 * `allowableClockSkew` when larger. ±10 s always passes and ±1 h never does (the skew is at most 600 s).
 */
export const DPOP_MIN_CLOCK_SKEW_S = 10;
/** Longest proof accepted (a proof with an RSA-4096 jwk is about 1.5 KB). */
export const MAX_DPOP_PROOF_LENGTH = 8192;
/** Longest `jti` accepted (§4.2 asks for 96 random bits; this bounds what the replay check hashes). */
export const MAX_DPOP_JTI_LENGTH = 256;

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const dpopTypes = new Set(["dpop+jwt", "application/dpop+jwt"]);
/** JWK members that only a private or a symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const privateJwkMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const publicKeyTypes = new Set(["RSA", "EC", "OKP"]);
const supportedAlgs = new Set<string>(dpopSigningAlgs);

const invalidProof = (code: ResultCodeName, ...args: Array<string | number>): OAuthError =>
  new OAuthError("invalid_dpop_proof", resultText(code, ...args), code, args);
const malformed = (reason: string): OAuthError => invalidProof("dpopProofMalformed", reason);
const nonceFailure = (reason: string): OAuthError =>
  new OAuthError("use_dpop_nonce", resultText("dpopNonceInvalid", reason), "dpopNonceInvalid", [reason]);

/** A header value echoed in a description: printable, short (the description builder drops the rest). */
const echo = (value: unknown): string => String(value).slice(0, 20);

type ProofDeps = CoreDepsWith<Pick<ReplayStore, "useDpopProofJwtId">, "sealer" | "now">;

/** Steps 1-2 and 4-6: the parts that need no key, so their failures are named precisely. */
type ProofHeader = JWSHeaderParameters & { jwk: JWK };

function checkHeader(proof: unknown): ProofHeader {
  if (typeof proof !== "string" || proof.length === 0) throw malformed("the request carries no DPoP proof");
  if (proof.length > MAX_DPOP_PROOF_LENGTH) throw malformed(`it is longer than ${MAX_DPOP_PROOF_LENGTH} characters`);
  if (!compactJws.test(proof)) throw malformed("it is not one JWS in compact serialization (two DPoP headers, or not a JWT)");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw malformed("its header is not a JSON object");
  }
  if (typeof header.typ !== "string" || !dpopTypes.has(header.typ.toLowerCase())) throw malformed("its typ header is not dpop+jwt");
  const { alg } = header;
  if (typeof alg !== "string" || alg === "") throw malformed("its header has no alg");
  if (alg.toLowerCase() === "none") throw malformed("its alg is none, but a proof must be signed");
  // RFC 7515 §4.1.11: a proof naming extensions must be refused when they are not understood, and none is.
  if (header.crit !== undefined) throw malformed("its crit header names extensions this server does not support");
  if (isHmacJwsAlg(alg)) throw malformed(`its alg ${alg} is symmetric, but a proof is signed with a private key`);
  if (!supportedAlgs.has(alg)) throw malformed(`its alg ${echo(alg)} is not one of ${dpopSigningAlgs.join(" ")}`);
  const { jwk } = header;
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) throw malformed("its header has no jwk object");
  if (privateJwkMembers.some((member) => member in jwk)) throw malformed("its jwk holds private or secret key material");
  if (!publicKeyTypes.has(String(jwk.kty))) throw malformed("its jwk is not an RSA, EC or OKP public key");
  return { ...header, jwk };
}

/** Step 7: the signature, with the key of the proof's own header; the claims jose checks (exp, nbf when present) with the service's skew. */
async function verifiedPayload(deps: ProofDeps, proof: string, header: ProofHeader, skew: number): Promise<{ payload: JWTPayload; key: ProofKey }> {
  try {
    const key = await proofKey(proof.slice(0, proof.indexOf(".")), header);
    const { payload } = await jwtVerify(proof, key.key, {
      algorithms: [...dpopSigningAlgs],
      currentDate: new Date(deps.now()),
      clockTolerance: skew,
    });
    return { payload, key };
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) throw invalidProof("dpopProofSignatureInvalid");
    if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
      throw malformed(`its ${echo(error.claim)} claim is invalid`);
    }
    if (error instanceof errors.JWTInvalid) throw malformed("its payload is not a JSON object");
    // Nothing else here does I/O: any other failure is the proof's own key, refused by jose (JOSEError:
    // use or alg members, key type) or by WebCrypto while importing it (TypeError for an RSA key under
    // 2048 bits, DOMException for an EC point off its curve).
    throw malformed("its jwk is not a usable public key for its alg");
  }
}

function requireString(payload: JWTPayload, claim: "jti" | "htm" | "htu"): string {
  const value = payload[claim];
  if (typeof value !== "string" || value.length === 0) throw malformed(`its ${claim} claim is missing or not a string`);
  return value;
}

/** Steps 8-9. */
function checkTarget(check: DpopProofCheck, htm: string, htu: string): void {
  if (htm !== check.htm) throw invalidProof("dpopProofTargetMismatch", "htm", "method");
  const claimed = normaliseHtu(htu);
  if (claimed === null) throw malformed("its htu claim is not an http or https URL");
  if (claimed !== normaliseHtu(check.htu)) throw invalidProof("dpopProofTargetMismatch", "htu", "URL");
}

/** Step 11: `ath` is base64url(SHA-256(the access token's ASCII octets)), compared in constant time. */
function checkAth(payload: JWTPayload, accessToken: string | null | undefined): void {
  if (accessToken === undefined || accessToken === null) return;
  const { ath } = payload;
  if (typeof ath !== "string") throw invalidProof("dpopProofAthInvalid", "is missing, but the proof accompanies an access token");
  if (!safeEqual(ath, sha256(accessToken))) throw invalidProof("dpopProofAthInvalid", "does not match the access token");
}

/** Step 10 (§8): a nonce present must be valid; a nonce absent is refused when one is required. */
function checkNonce(deps: ProofDeps, service: Service, payload: JWTPayload, required: boolean): void {
  const { nonce } = payload;
  if (nonce === undefined) {
    if (required) throw nonceFailure("has no nonce, and this server requires one");
    return;
  }
  if (typeof nonce !== "string" || !isValidDpopNonce(deps, service, nonce)) throw nonceFailure("carries a nonce that is not valid or has expired");
}

/** Verifies a DPoP proof for a request (RFC 9449 §4.3); throws `OAuthError` naming the failed check. */
export async function verifyDpopProof(deps: ProofDeps, service: Service, check: DpopProofCheck): Promise<VerifiedDpopProof> {
  const header = checkHeader(check.proof);
  const skew = Math.max(service.allowableClockSkew, DPOP_MIN_CLOCK_SKEW_S);
  const { payload, key } = await verifiedPayload(deps, check.proof, header, skew);
  const jti = requireString(payload, "jti");
  if (jti.length > MAX_DPOP_JTI_LENGTH) throw malformed(`its jti claim is longer than ${MAX_DPOP_JTI_LENGTH} characters`);
  const htm = requireString(payload, "htm");
  const htu = requireString(payload, "htu");
  const { iat } = payload;
  if (typeof iat !== "number") throw malformed("its iat claim is missing or not a number");
  checkTarget(check, htm, htu);

  const nowS = deps.now() / 1000;
  if (iat > nowS + skew) throw invalidProof("dpopProofIatInvalid", "in the future", DPOP_PROOF_LIFETIME_S + skew, skew);
  if (iat < nowS - DPOP_PROOF_LIFETIME_S - skew) throw invalidProof("dpopProofIatInvalid", "too old", DPOP_PROOF_LIFETIME_S + skew, skew);
  checkAth(payload, check.accessToken);
  checkNonce(deps, service, payload, check.nonceRequired);

  const { jkt } = key;
  // Kept as long as the proof would pass the iat check, plus a second for the rounding of expiry sweeps.
  const expiresAt = Math.ceil((iat + DPOP_PROOF_LIFETIME_S + skew) * 1000) + 1000;
  if (!(await deps.store.useDpopProofJwtId(service.serviceId, jkt, jti, expiresAt))) throw invalidProof("dpopProofReplayed");
  return { jkt };
}
