import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { safeEqual } from "../../crypto/secrets.js";
import { presentedCertificate } from "../mtls/client-certificate.js";
import { OAuthError } from "../oauth-error.js";
import { resultText } from "../result-codes.js";
import type { SenderProofs } from "./sender-proofs.js";

type BindingSettings = { service: Pick<Service, "tlsClientCertificateBoundAccessTokens">; client: Pick<Client, "tlsClientCertificateBoundAccessTokens"> };

/**
 * Whether a token request that came over mutual TLS gets certificate-bound tokens: the service
 * supports them (its `tlsClientCertificateBoundAccessTokens`, as in Authlete) or the client asked for
 * them (its own flag, RFC 8705 §3.4).
 */
function bindsToCertificate({ service, client }: BindingSettings): boolean {
  return service.tlsClientCertificateBoundAccessTokens === true || client.tlsClientCertificateBoundAccessTokens === true;
}

/**
 * The thumbprint of the client certificate a token request came with (RFC 8705 §3.1), or null,
 * checked before anything is redeemed. A client that registered `tlsClientCertificateBoundAccessTokens`
 * and sent no certificate is refused (RFC 8705 §3.4 leaves error or unbound token to the server): a
 * token it wants sender-constrained is never issued as a bearer token. The service's flag alone does
 * not demand a certificate: it binds the tokens of requests that came with one, so turning it on
 * never locks out the service's clients that do not use mutual TLS. The error is `invalid_request`,
 * as for a missing DPoP proof (`requireDpopProof`): one required input, the certificate, is missing;
 * nothing is spent, so the client can retry over mutual TLS.
 */
export function presentedCertificateThumbprint(settings: BindingSettings, proofs: SenderProofs): string | null {
  const thumbprint = presentedCertificate(proofs)?.thumbprint ?? null;
  if (thumbprint === null && settings.client.tlsClientCertificateBoundAccessTokens === true) {
    throw new OAuthError("invalid_request", resultText("tokenCertificateRequired"), "tokenCertificateRequired");
  }
  return thumbprint;
}

/**
 * The certificate part of the binding of the tokens a token request mints (RFC 8705 §3, §4):
 * - a refresh token bound to a certificate is refreshed only with that certificate → `invalid_grant`
 *   otherwise, without a certificate too (catalogue SEC-069);
 * - the access token is bound to the presented certificate, if any, when certificate-bound tokens are on;
 * - the refresh token only for a public client (§4: a confidential client's refresh tokens are
 *   already bound to it by its authentication), and a public client's bound refresh token stays
 *   bound through rotation even after the setting is turned off.
 */
export function certificateTokenBinding(
  settings: BindingSettings & { client: Pick<Client, "clientType"> },
  presentedThumbprint: string | null,
  refreshTokenThumbprint: string | null | undefined,
): { accessToken: string | null; refreshToken: string | null } {
  if (refreshTokenThumbprint && (presentedThumbprint === null || !safeEqual(refreshTokenThumbprint, presentedThumbprint))) {
    throw new OAuthError("invalid_grant", resultText("tokenRefreshTokenCertificateMismatch"), "tokenRefreshTokenCertificateMismatch");
  }
  const binds = bindsToCertificate(settings);
  const accessToken = binds ? presentedThumbprint : null;
  const publicClient = settings.client.clientType === "PUBLIC";
  const refreshToken = publicClient && (binds || refreshTokenThumbprint) ? presentedThumbprint : null;
  return { accessToken, refreshToken };
}
