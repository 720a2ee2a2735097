import type { ClientRequestInput } from "../core/client-auth/client-authenticated-request.js";
import type { SenderProofs } from "../core/sender/sender-proofs.js";
import { senderProofsOf } from "./sender-proofs-of.js";

/** What a client-authenticated runtime call relays: the raw form, the Basic credentials and the sender proofs. */
type ClientRequestBody = SenderProofs & { parameters?: string | null; clientId?: string | null; clientSecret?: string | null };

/** The one `ClientRequestInput` core's client-authenticated endpoints take, from a runtime request body. */
export function clientRequestInputOf(body: ClientRequestBody): ClientRequestInput {
  return { parameters: body.parameters ?? "", clientId: body.clientId, clientSecret: body.clientSecret, senderProofs: senderProofsOf(body) };
}
