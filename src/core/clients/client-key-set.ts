import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, type JWTVerifyOptions, jwtVerify } from "jose";
import type { Client } from "../../domain/client.js";
import { noOutbound, OutboundFailure } from "../../outbound/ports.js";
import type { CoreDeps } from "../context.js";
import { jwkSetProblems } from "./jwks-rules.js";

/** A cached key set is fetched again when it lacks a key a request needs and is older than this (the client may have rotated). */
export const CLIENT_KEYS_REFRESH_AFTER_MS = 60_000;

/** The client's keys could not be obtained; `reason` and `description` are safe to show the client. */
export class ClientKeysUnavailable extends Error {
  override readonly name = "ClientKeysUnavailable";

  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(detail);
  }

  get description(): string {
    return `The client's keys could not be fetched from its jwks_uri: ${this.reason}.`;
  }
}

const keysUnavailable = (reason: string, detail: string) => new ClientKeysUnavailable(reason, `jwks_uri: ${detail}`);

/** Registration checked it; a stored set that no longer parses is reported rather than crashing the request. */
function registeredKeySet(jwks: string): JSONWebKeySet {
  try {
    return JSON.parse(jwks) as JSONWebKeySet;
  } catch {
    throw new ClientKeysUnavailable("the registered jwks is not a JWK Set", "the registered jwks is not valid JSON");
  }
}

/** The set at `uri`, through the outbound-fetch module (public https targets only, size cap, deadline, cached within limits). */
async function fetchedKeySet(deps: Pick<CoreDeps, "outbound">, uri: string, refreshIfOlderThanMs?: number): Promise<JSONWebKeySet> {
  let document: unknown;
  try {
    document = await (deps.outbound ?? noOutbound).getJson({ url: uri, cache: "reuse", refreshIfOlderThanMs });
  } catch (error) {
    if (error instanceof OutboundFailure) throw keysUnavailable(error.publicText, error.message);
    throw error;
  }
  const problems = jwkSetProblems(document);
  if (problems.length > 0) throw keysUnavailable("the response is not a JWK Set of public keys", problems.join("; "));
  return document as JSONWebKeySet;
}

/**
 * The client's public keys (OIDC Registration §2): its registered `jwks` (checked when it was
 * registered), or the set at its `jwksUri`; null when it has neither. A cached set older than
 * `refreshIfOlderThanMs` is fetched again (the client may have rotated: a `kid` or key is missing).
 */
export async function clientKeySet(
  deps: Pick<CoreDeps, "outbound">,
  client: Pick<Client, "jwks" | "jwksUri">,
  refreshIfOlderThanMs?: number,
): Promise<JSONWebKeySet | null> {
  if (client.jwks) return registeredKeySet(client.jwks);
  if (!client.jwksUri) return null;
  return fetchedKeySet(deps, client.jwksUri, refreshIfOlderThanMs);
}

/**
 * Runs `verify` with the client's public keys; a fetched set without the key it needs
 * (`JWKSNoMatchingKey`) is fetched once more when older than `CLIENT_KEYS_REFRESH_AFTER_MS` (the
 * client may have rotated since it was cached). Null when the client has no keys; `verify`'s error
 * when verification fails; `ClientKeysUnavailable` when the set cannot be had.
 */
export async function withClientKeys<T>(
  deps: Pick<CoreDeps, "outbound">,
  client: Pick<Client, "jwks" | "jwksUri">,
  verify: (keys: JSONWebKeySet) => Promise<T>,
): Promise<T | null> {
  const keys = await clientKeySet(deps, client);
  if (!keys) return null;
  try {
    return await verify(keys);
  } catch (error) {
    if (client.jwks || !(error instanceof errors.JWKSNoMatchingKey)) throw error;
  }
  return verify((await clientKeySet(deps, client, CLIENT_KEYS_REFRESH_AFTER_MS)) ?? keys);
}

/** Verifies a JWT the client signed (a client assertion, a request object) with the client's public keys, as `withClientKeys`. */
export async function verifyWithClientKeys(
  deps: Pick<CoreDeps, "outbound">,
  client: Pick<Client, "jwks" | "jwksUri">,
  jwt: string,
  options: JWTVerifyOptions,
): Promise<JWTPayload | null> {
  return withClientKeys(deps, client, async (keys) => (await jwtVerify(jwt, createLocalJWKSet(keys), options)).payload);
}
