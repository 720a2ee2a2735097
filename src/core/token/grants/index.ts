import { grantTypeWire } from "../../../domain/enums.js";
import { authorizationCodeGrant } from "./authorization-code.js";
import { clientCredentialsGrant } from "./client-credentials.js";
import type { GrantModule } from "./grant-module.js";
import { passwordGrant } from "./password.js";
import { refreshTokenGrant } from "./refresh-token.js";

/** The grant types the token endpoint implements, by their `grant_type` wire value. */
export const grantModules: ReadonlyMap<string, GrantModule> = new Map(
  [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant, passwordGrant].map((grant) => [grantTypeWire[grant.grantType], grant]),
);
