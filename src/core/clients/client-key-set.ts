import type { JSONWebKeySet } from "jose";
import type { Client } from "../../domain/client.js";
import { noOutbound, OutboundFailure } from "../../outbound/ports.js";
import type { CoreDeps } from "../context.js";
import { jwkSetProblems } from "./jwks-rules.js";

/** The keys at the client's `jwksUri` could not be obtained; `description` is safe to show the client. */
export class ClientKeysUnavailable extends Error {
  override readonly name = "ClientKeysUnavailable";

  constructor(
    readonly description: string,
    detail: string,
  ) {
    super(detail);
  }
}

const keysUnavailable = (reason: string, detail: string) =>
  new ClientKeysUnavailable(`The client's keys could not be fetched from its jwks_uri: ${reason}.`, `jwks_uri: ${detail}`);

/** Registration checked it; a stored set that no longer parses is reported rather than crashing the request. */
function registeredKeySet(jwks: string): JSONWebKeySet {
  try {
    return JSON.parse(jwks) as JSONWebKeySet;
  } catch {
    throw new ClientKeysUnavailable("The client's registered jwks is not a JWK Set.", "the registered jwks is not valid JSON");
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
