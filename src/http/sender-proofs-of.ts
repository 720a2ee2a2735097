import type { SenderProofs } from "../core/sender/sender-proofs.js";

/**
 * The sender proofs of a runtime request body (its `dpop`, `htm`, `htu`, `dpopNonceRequired`,
 * `clientCertificate`, `clientCertificatePath`), as the one `SenderProofs` each route hands to core.
 * A request table without one of them leaves it undefined.
 */
export function senderProofsOf(body: SenderProofs): SenderProofs {
  return {
    dpop: body.dpop,
    htm: body.htm,
    htu: body.htu,
    dpopNonceRequired: body.dpopNonceRequired,
    clientCertificate: body.clientCertificate,
    clientCertificatePath: body.clientCertificatePath,
  };
}
