import { z } from "@hono/zod-openapi";
import { MAX_PATCH_LENGTH, MAX_PATCH_NESTING, MAX_PATCH_OPERATIONS, MAX_PATCHED_DOCUMENT_BYTES } from "../../core/discovery/patch-limits.js";
import { resultCodes } from "../../core/result-codes.js";
import { honoured } from "../../domain/field-support.js";
import { queryFlag } from "../query-flag.js";

const query = (name: string) => ({ param: { name, in: "query" as const } });

const pretty = honoured(queryFlag("pretty"), "Indent the JSON (default false).");

/** `GET /service/configuration` (Authlete's `service_configuration_api` query). */
export const configurationQueryFields = {
  pretty,
  patch: honoured(
    z.string().optional().openapi(query("patch")),
    `An RFC 6902 JSON Patch (a JSON array) applied to the document before it is returned: at most ${MAX_PATCH_LENGTH} characters ` +
      `(A171202), ${MAX_PATCH_OPERATIONS} operations (A171203), and a patched document of at most ${MAX_PATCHED_DOCUMENT_BYTES} bytes (A171204); ` +
      `values and pointers nest at most ${MAX_PATCH_NESTING} levels, and pointers through inherited members such as \`__proto__\` or \`constructor\` are refused (A171201).`,
  ),
};

/** `GET /service/jwks/get` (Authlete's `service_jwks_get_api` query). */
export const jwksQueryFields = {
  includePrivateKeys: honoured(
    queryFlag("includePrivateKeys"),
    `Refused when true (${resultCodes.jwksPrivateKeysRefused.code}): private keys never leave Tessera.`,
  ),
  pretty,
};
