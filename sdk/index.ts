/**
 * Typed Tessera client: the generated operation types (`schema.d.ts`, from openapi/openapi.json)
 * with openapi-fetch as the runtime. Every call is checked against the OpenAPI document at compile
 * time: paths, path parameters, request bodies and response bodies.
 *
 *   const tessera = createTesseraClient({ baseUrl: "http://127.0.0.1:8080", apiToken });
 *   const { data, error } = await tessera.POST("/api/{serviceId}/auth/token", {
 *     params: { path: { serviceId: "123" } },
 *     body: { parameters: rawFormBody },
 *   });
 */
import createClient, { type Client } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };
export type TesseraClient = Client<paths>;
/** A schema of the API by name, e.g. `Schema<"AuthorizationResponse">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

export interface TesseraClientOptions {
  /** Where Tessera listens, e.g. `http://127.0.0.1:8080` (no trailing `/api`). */
  baseUrl: string;
  /** A service API token (USE_SERVICE for a login server) or an organization token. */
  apiToken: string;
  /** Another fetch implementation (tests, proxies); default the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
}

export function createTesseraClient(options: TesseraClientOptions): TesseraClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers: { authorization: `Bearer ${options.apiToken}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
