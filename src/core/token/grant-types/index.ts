import { type GrantType, grantTypeWire } from "../../../domain/enums.js";
import { authorizationCodeGrantType } from "./authorization-code.js";
import { cibaGrantType } from "./ciba.js";
import { clientCredentialsGrantType } from "./client-credentials.js";
import { deviceCodeGrantType } from "./device-code.js";
import type { GrantTypeModule, GrantTypeTraits } from "./grant-type-module.js";
import { jwtBearerGrantType } from "./jwt-bearer.js";
import { otherGrantTypeTraits } from "./other-grant-type-traits.js";
import { passwordGrantType } from "./password.js";
import { refreshTokenGrantType } from "./refresh-token.js";
import { tokenExchangeGrantType } from "./token-exchange.js";

/** The grant-type modules of the token endpoint, each under its own type; adding a grant type there is adding its module here. */
const tokenEndpointGrantTypes = {
  AUTHORIZATION_CODE: authorizationCodeGrantType,
  REFRESH_TOKEN: refreshTokenGrantType,
  CLIENT_CREDENTIALS: clientCredentialsGrantType,
  PASSWORD: passwordGrantType,
  CIBA: cibaGrantType,
  DEVICE_CODE: deviceCodeGrantType,
  JWT_BEARER: jwtBearerGrantType,
  TOKEN_EXCHANGE: tokenExchangeGrantType,
} satisfies { [Type in GrantType]?: GrantTypeModule<Type> };

/** The grant types the token endpoint handles with a module; every other one has its traits in `other-grant-type-traits.ts`. */
export type TokenEndpointGrantType = keyof typeof tokenEndpointGrantTypes;

/** The grant types the token endpoint implements, by their `grant_type` wire value. */
export const grantTypeModules: ReadonlyMap<string, GrantTypeModule> = new Map(
  Object.values(tokenEndpointGrantTypes).map((module): [string, GrantTypeModule] => [grantTypeWire[module.grantType], module]),
);

const traitsByType: Readonly<Record<GrantType, GrantTypeTraits>> = { ...otherGrantTypeTraits, ...tokenEndpointGrantTypes };

/** The traits of any grant type, from its module or, for grant types handled elsewhere, from their table. */
export function grantTypeTraits(type: GrantType): GrantTypeTraits {
  return traitsByType[type];
}
