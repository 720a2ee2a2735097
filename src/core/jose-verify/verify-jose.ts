import { base64url, decodeProtectedHeader } from "jose";
import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { findClientByIdentifierOrNull } from "../clients/find-managed-client.js";
import { ClientLockedError } from "../clients/find-client.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";
import { checkClaims } from "./jose-claims.js";
import { checkSignature } from "./signature-check.js";

/**
 * `/jose/verify` (Authlete API v3): is this JOSE object valid? For a login server that verifies a
 * client's JWS (or one Tessera signed) on its own.
 * - The call is wrong (400, nothing verified) when `signedByClient` is true without a
 *   `clientIdentifier`, or names no client of this service (another service's client is unknown
 *   here); a locked client is refused as everywhere (403).
 * - Everything about the JOSE object itself is a verdict (200, `valid` false, a result code per
 *   first reason, `errorDescriptions` listing every reason): not a compact JWS, a JWE (Tessera holds
 *   no key to decrypt it yet), `alg` none, no key to check it with, a bad signature, and the claims
 *   of `jose-claims.ts`, checked even when the signature is not, so every problem shows at once.
 * - `valid` = the signature verifies and no claim is missing or invalid.
 * The keys are chosen as `signature-check.ts` says; `clockSkew` absent is the service's `allowableClockSkew`.
 */
export interface JoseVerifyInput {
  jose: string;
  mandatoryClaims?: readonly string[] | null;
  clockSkew?: number | null;
  clientIdentifier?: string | null;
  signedByClient?: boolean | null;
}

export interface JoseVerifyAnswer {
  resultCode: string;
  resultMessage: string;
  valid: boolean;
  signatureValid: boolean;
  missingClaims?: string[];
  invalidClaims?: string[];
  errorDescriptions?: string[];
}

type Structure = { alg: string; payload: Record<string, unknown> | null } | { code: ResultCodeName; description: string };

/** The compact JWS serialization has three parts, the JWE one five (RFC 7515 §7.1, RFC 7516 §7.1). */
function structureOf(jose: string): Structure {
  const parts = jose.split(".");
  if (parts.length === 5) return { code: "joseEncrypted", description: "The JOSE is a JWE (five parts); Tessera does not decrypt JWEs at /jose/verify yet." };
  if (parts.length !== 3) return { code: "joseMalformed", description: `The JOSE has ${parts.length} dot-separated parts; a compact JWS has three.` };
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(jose).alg;
  } catch {
    return { code: "joseMalformed", description: "The JOSE header is not base64url-encoded JSON object." };
  }
  if (typeof alg !== "string" || alg === "") return { code: "joseMalformed", description: "The JOSE header has no alg." };
  if (alg.toLowerCase() === "none") return { code: "joseUnsigned", description: "The JOSE is not signed (alg none), so it proves nothing." };
  return { alg, payload: payloadObject(parts[1]!) };
}

/** The payload as a JSON object, or null when it is something else (a JWS need not carry a JWT). */
function payloadObject(encoded: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64url.decode(encoded)));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function signingClient(deps: CoreDeps, service: Service, input: JoseVerifyInput): Promise<Client | null> {
  if (input.signedByClient !== true) return null;
  if (!input.clientIdentifier) throw new CallerError("joseVerifyClientIdentifierMissing");
  const client = await findClientByIdentifierOrNull(deps, service.serviceId, input.clientIdentifier);
  if (!client) throw new CallerError("joseVerifyClientNotFound", input.clientIdentifier);
  if (client.locked) throw new ClientLockedError(client);
  return client;
}

const nonEmpty = (values: string[]): string[] | undefined => (values.length > 0 ? values : undefined);

export async function verifyJose(deps: CoreDeps, service: Service, input: JoseVerifyInput): Promise<JoseVerifyAnswer> {
  const client = await signingClient(deps, service, input);
  const structure = structureOf(input.jose);
  if ("code" in structure) {
    return { ...resultBody(structure.code), valid: false, signatureValid: false, errorDescriptions: [structure.description] };
  }
  const signature = await checkSignature(deps, service, client, input.jose, structure.alg);
  const mandatory = input.mandatoryClaims ?? [];
  const skew = input.clockSkew ?? service.allowableClockSkew;
  const nowS = Math.floor(deps.now() / 1000);
  const claims = structure.payload
    ? checkClaims(structure.payload, mandatory, nowS, skew)
    : { missingClaims: [...new Set(mandatory)], invalidClaims: [], errorDescriptions: mandatory.length > 0 ? ["The payload is not a JSON object, so it has no claims."] : [] };
  const errorDescriptions = [...(signature.ok ? [] : [signature.description]), ...claims.errorDescriptions];
  const claimsValid = claims.missingClaims.length === 0 && claims.invalidClaims.length === 0;
  const code: ResultCodeName = !signature.ok ? signature.code : claimsValid ? "joseValid" : "joseClaimsInvalid";
  return {
    ...resultBody(code),
    valid: signature.ok && claimsValid,
    signatureValid: signature.ok,
    missingClaims: nonEmpty(claims.missingClaims),
    invalidClaims: nonEmpty(claims.invalidClaims),
    errorDescriptions: nonEmpty(errorDescriptions),
  };
}
