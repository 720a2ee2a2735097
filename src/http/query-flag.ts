import { z } from "@hono/zod-openapi";

/**
 * A yes/no query parameter: a boolean in the document (as Authlete's spec types `pretty`, so typed
 * clients pass `true`), read from the query string's `true` or `false`. Any other text stays a
 * string and fails validation with the parameter named. `description` may be left to a field table
 * (`honoured` describes the schema it is given).
 */
export function queryFlag(name: string, description?: string) {
  const message = `${name} is true or false`;
  return z
    .preprocess((value) => (value === "true" ? true : value === "false" ? false : value), z.boolean({ error: message }))
    .optional()
    .openapi({ param: { name, in: "query" }, ...(description === undefined ? {} : { description }) });
}
