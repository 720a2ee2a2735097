import type { Config } from "./schema.js";

/** Where the running server serves its result-code page (`src/http/routes/docs.ts`). */
export const RESULT_CODES_PAGE = "/docs/result-codes";

/** RFC 6750 §3 and RFC 6749 §5.2: an `error_uri` value uses only %x21 / %x23-5B / %x5D-7E. */
const ERROR_URI_CHARS = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Why `value` cannot be the base of `error_uri`, or null. It must be an absolute http(s) URL without
 * a fragment (the result code is appended as one), written in the characters an `error_uri` may use.
 */
export function errorUriBaseProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http or https URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an absolute http or https URL";
  if (value.includes("#")) return "must not have a fragment: the result code is appended as one";
  if (!ERROR_URI_CHARS.test(url.href)) return "must not contain quotes, backslashes or spaces";
  return null;
}

/**
 * The base of every `error_uri`: TESSERA_ERROR_URI_BASE, or else the result-code page of this server
 * at the address it listens on (a wildcard address as `localhost`). Tessera does not know the public
 * URL a proxy may give it, so a deployment behind one sets TESSERA_ERROR_URI_BASE.
 */
export function errorUriBaseOf(config: Pick<Config, "errorUriBase" | "host" | "port">): string {
  if (config.errorUriBase !== undefined) return new URL(config.errorUriBase).href;
  const wildcard = config.host === "0.0.0.0" || config.host === "::";
  const host = wildcard ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}${RESULT_CODES_PAGE}`;
}
