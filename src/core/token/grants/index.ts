import { type GrantType, grantTypeWire } from "../../../domain/enums.js";
import { authorizationCodeGrant } from "./authorization-code.js";
import { clientCredentialsGrant } from "./client-credentials.js";
import type { GrantModule, GrantTraits } from "./grant-module.js";
import { otherGrantTraits } from "./other-grant-traits.js";
import { passwordGrant } from "./password.js";
import { refreshTokenGrant } from "./refresh-token.js";

/** The grant modules of the token endpoint, each under its own type; adding a grant type there is adding its module here. */
const tokenEndpointGrants = {
  AUTHORIZATION_CODE: authorizationCodeGrant,
  REFRESH_TOKEN: refreshTokenGrant,
  CLIENT_CREDENTIALS: clientCredentialsGrant,
  PASSWORD: passwordGrant,
} satisfies { [Type in GrantType]?: GrantModule<Type> };

/** The grant types the token endpoint handles with a module; every other one has its traits in `other-grant-traits.ts`. */
export type TokenEndpointGrantType = keyof typeof tokenEndpointGrants;

/** The grant types the token endpoint implements, by their `grant_type` wire value. */
export const grantModules: ReadonlyMap<string, GrantModule> = new Map(
  Object.values(tokenEndpointGrants).map((grant): [string, GrantModule] => [grantTypeWire[grant.grantType], grant]),
);

const traitsByType: Readonly<Record<GrantType, GrantTraits>> = { ...otherGrantTraits, ...tokenEndpointGrants };

/** The traits of any grant type, from its module or, for grants handled elsewhere, from their table. */
export function grantTraits(type: GrantType): GrantTraits {
  return traitsByType[type];
}
