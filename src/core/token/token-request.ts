import type { Property } from "../../domain/common.js";
import type { SenderProofs } from "../sender/sender-proofs.js";

/** The `/auth/token` call as core sees it (Authlete's TokenRequest, the fields Tessera uses). */
export interface TokenRequestInput {
  /** The token request's form body, unparsed. */
  parameters: string;
  /** From an HTTP Basic `Authorization` header, as the login server extracted them (still form-urlencoded). */
  clientId?: string | null;
  clientSecret?: string | null;
  /** Extra properties to store with the tokens; visible ones are added to the JSON response. */
  properties?: Property[] | null;
  /** Value to use for the (opaque) access token instead of a generated one. */
  accessToken?: string | null;
  jwtAtClaims?: string | null;
  accessTokenDuration?: number | null;
  refreshTokenDuration?: number | null;
  /** The DPoP proof and client certificate that came with the request (RFC 9449, RFC 8705). */
  senderProofs?: SenderProofs | null;
}
