import { errorUriBaseOf } from "../config/error-uri-base.js";
import { type Config, configSchema } from "../config/schema.js";
import type { AppDeps } from "./env.js";

/** The settings `error_uri` is built from; any left out take the schema's defaults. */
export type ErrorUriConfig = Pick<Config, "errorUriBase" | "host" | "port">;

/** The deps with the base of `error_uri` read from `config` where the caller did not bring one. */
export function withErrorUriBase(deps: AppDeps): AppDeps {
  if (deps.errorUriBase) return deps;
  return { ...deps, errorUriBase: errorUriBaseOf(configSchema.parse(deps.config)) };
}
