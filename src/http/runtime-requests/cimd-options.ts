import { z } from "zod";
import { stored } from "../../domain/field-support.js";

/** Per-request options of Client ID Metadata Documents (CIMD); they only tune a resolution Tessera never does. */
export const cimdOptions = stored(
  z.object({ alwaysRetrieved: z.boolean().optional(), httpPermitted: z.boolean().optional(), queryPermitted: z.boolean().optional() }).strict(),
  "Options for resolving clients from Client ID Metadata Documents, which Tessera does not do (the service's CIMD support stays off); Authlete ignores them then too.",
);
