import { z } from "zod";
import { pending } from "../../domain/field-support.js";

/** Inputs of "transformed claims" (OpenID Connect Advanced Syntax for Claims), which Tessera never asks for. */
const TRANSFORMED_CLAIMS = "transformed claims, OpenID Connect Advanced Syntax for Claims";

export const transformedClaimInputs = {
  claimsForTx: pending(z.string().max(100_000), TRANSFORMED_CLAIMS),
  verifiedClaimsForTx: pending(z.array(z.string().max(100_000)).max(100), TRANSFORMED_CLAIMS),
};
