import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import type { TokenBinding } from "../tokens/confirmation.js";
import { certificateTokenBinding, presentedCertificateThumbprint } from "./certificate-token-binding.js";
import { presentedDpopKey } from "./dpop-presentation.js";
import { dpopTokenBinding, requireDpopProof } from "./dpop-token-binding.js";
import type { SenderProofs } from "./sender-proofs.js";

/**
 * What a token request proved about its sender, checked before any grant is redeemed: the key of
 * its verified DPoP proof (RFC 9449 §4.3) and the thumbprint of the client certificate (RFC 8705 §3).
 * JSON-serialisable: a password-grant ticket carries it to /auth/token/issue.
 */
export interface PresentedSender {
  dpopJkt: string | null;
  certificateThumbprint: string | null;
}

/** A request that proved nothing: its tokens are bearer tokens. */
export const nothingPresented: PresentedSender = { dpopJkt: null, certificateThumbprint: null };

/**
 * The token endpoint's first half of sender-constraining, run after the client authenticated and
 * before the grant type touches its code, refresh token or ticket: a proof is verified here (a bad
 * one, or a missing nonce, spends nothing, so the client can retry with a fresh proof, RFC 9449 §8)
 * and a client that requires DPoP (`dpopRequired`) is refused without one; likewise a client that
 * registered certificate-bound tokens (its `tlsClientCertificateBoundAccessTokens`) is refused without
 * a certificate (`presentedCertificateThumbprint`).
 */
export async function presentedSender(deps: CoreDeps, service: Service, client: Client, proofs: SenderProofs): Promise<PresentedSender> {
  const dpopJkt = await presentedDpopKey(deps, service, "token", proofs);
  requireDpopProof(client, dpopJkt);
  const certificateThumbprint = presentedCertificateThumbprint({ service, client }, proofs);
  return { dpopJkt, certificateThumbprint };
}

/** What the grant being redeemed is already bound to. */
export interface GrantSenderBinding {
  /** The authorization code's `dpop_jkt` (RFC 9449 §10). */
  codeDpopJkt?: string | null;
  /** The binding of the presented refresh token. */
  refreshToken?: TokenBinding;
}

export interface TokenRequestBindingInput {
  service: Service;
  client: Client;
  presented: PresentedSender;
  grant: GrantSenderBinding;
}

/**
 * The second half, inside the grant type once it knows what the grant carries: the binding of the
 * new access token and of the new refresh token, each the composition of its DPoP part
 * (`dpopTokenBinding`) and its certificate part, or the OAuth error (`invalid_grant`) when the
 * request does not prove the key or certificate the grant is bound to.
 */
export function tokenRequestBinding({ service, client, presented, grant }: TokenRequestBindingInput): { accessToken: TokenBinding; refreshToken: TokenBinding } {
  const dpop = dpopTokenBinding(client, presented.dpopJkt, {
    codeDpopJkt: grant.codeDpopJkt,
    refreshTokenDpopJkt: grant.refreshToken?.dpopKeyThumbprint,
  });
  const certificate = certificateTokenBinding({ service, client }, presented.certificateThumbprint, grant.refreshToken?.certificateThumbprint);
  return {
    accessToken: { dpopKeyThumbprint: dpop.accessToken, certificateThumbprint: certificate.accessToken },
    refreshToken: { dpopKeyThumbprint: dpop.refreshToken, certificateThumbprint: certificate.refreshToken },
  };
}
