import { z } from "@hono/zod-openapi";
import type { Client } from "../domain/client.js";
import { ClientType } from "../domain/enums.js";
import { present } from "./routes/runtime/runtime-support.js";

/**
 * Authlete's `client_limited`: what an answer tells of a client without its settings (the client a
 * token list was narrowed to, the clients a user authorized). Authlete's `number` is left out:
 * Tessera numbers clients by `clientId` only.
 */

const TaggedValue = z.object({ tag: z.string(), value: z.string() });

export const ClientLimited = z
  .object({
    clientId: z.number().int(),
    clientIdAlias: z.string().optional(),
    clientIdAliasEnabled: z.boolean().optional(),
    clientName: z.string().optional(),
    clientNames: z.array(TaggedValue).optional(),
    description: z.string().optional(),
    descriptions: z.array(TaggedValue).optional(),
    clientType: ClientType.optional(),
  })
  .openapi("ClientLimited");

export function clientLimitedView(client: Client): z.infer<typeof ClientLimited> {
  const { clientId } = client;
  return {
    clientId,
    ...present({
      clientIdAlias: client.clientIdAlias,
      clientIdAliasEnabled: client.clientIdAliasEnabled,
      clientName: client.clientName,
      clientNames: client.clientNames,
      description: client.description,
      descriptions: client.descriptions,
      clientType: client.clientType,
    }),
  };
}
