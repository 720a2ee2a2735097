/**
 * DPoP (RFC 9449) at the login server: Tessera checks the proof, the login server only passes on
 * what it received — the `DPoP` header as `dpop`, with the request's method as `htm` and the URL
 * the client sent it to as `htu` — and relays the server nonce Tessera answers with (`dpopNonce`)
 * as the `DPoP-Nonce` header (§8.1, §9).
 */
import type { LoginContext, LoginServerContext } from "./context.js";

/** The DPoP inputs of a runtime request (Authlete's field names). */
export interface DpopInputs {
  dpop?: string;
  htm?: string;
  htu?: string;
}

/** The longest proof Tessera's runtime API takes in `dpop`; a longer header is refused here, not sent. */
const maxProofLength = 16_384;

export type DpopHeader = { proof: string | undefined } | { refused: string };

/**
 * The request's single `DPoP` header, if any. RFC 9449 §4.3 check 1: more than one `DPoP` header
 * is an invalid proof. Fetch joins repeated headers with ", ", and a compact JWS holds neither a
 * comma nor white space, so either one means several headers (or not a proof at all).
 */
export function readDpopHeader(c: LoginContext): DpopHeader {
  const value = c.req.header("dpop");
  if (value === undefined) return { proof: undefined };
  if (/[,\s]/.test(value)) return { refused: "send exactly one DPoP header" };
  if (value === "" || value.length > maxProofLength) return { refused: "the DPoP header is not a DPoP proof JWT" };
  return { proof: value };
}

/**
 * `dpop`, `htm` and `htu` for a proof sent to `path`. `htu` is this server's public URL of the
 * endpoint, built from the configured issuer and never from the `Host` header: a client choosing
 * the Host header must not choose the URL its proof is checked against (§4.3 check 9).
 */
export function dpopInputs(ctx: LoginServerContext, c: LoginContext, path: string, proof: string | undefined): DpopInputs {
  if (proof === undefined) return {};
  return { dpop: proof, htm: c.req.method, htu: `${ctx.issuer.replace(/\/+$/, "")}${path}` };
}

/**
 * The token of an `Authorization: DPoP …` or `Authorization: Bearer …` header (RFC 9449 §7.1,
 * RFC 6750 §2.1; the scheme is case-insensitive, RFC 9110 §11.1), with whether it came as DPoP.
 */
export function accessTokenOf(header: string | undefined): { token: string; scheme: "DPoP" | "Bearer" } | undefined {
  const match = header ? /^(DPoP|Bearer)[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i.exec(header) : null;
  if (!match) return undefined;
  return { token: match[2]!, scheme: match[1]!.toLowerCase() === "dpop" ? "DPoP" : "Bearer" };
}

/** Sets `DPoP-Nonce` when Tessera's answer carries a `dpopNonce`: the client's next proof must hold it. */
export function withDpopNonce(response: Response, answer: object | undefined): Response {
  const nonce = answer && "dpopNonce" in answer ? answer.dpopNonce : undefined;
  if (typeof nonce === "string" && nonce !== "") response.headers.set("DPoP-Nonce", nonce);
  return response;
}
