// The HTTP calls of the admin commands. Only the SDK's types are used (erased at build time):
// openapi-fetch, the SDK's runtime, is a development dependency of this package, and a server
// installed without those must still run its own CLI.
import type { paths } from "../../../sdk/index.js";
import { CommandFailure } from "../usage-error.js";

export type Method = "get" | "post" | "delete";

/** The spec's paths that have an operation for `method`, so a typo in a path fails the typecheck. */
export type PathWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends undefined ? never : P }[keyof paths];

export interface ApiTarget {
  /** Where Tessera listens, without the `/api` suffix. */
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/** The API answered with an error: its resultCode and resultMessage are what the operator needs. */
export class ApiError extends CommandFailure {
  constructor(
    readonly status: number,
    readonly resultCode: string | undefined,
    readonly resultMessage: string,
  ) {
    super(resultCode && !resultMessage.includes(resultCode) ? `HTTP ${status}: ${resultCode} ${resultMessage}` : `HTTP ${status}: ${resultMessage}`);
  }
}

// Key generation on rotation is the slowest call (RSA); a minute leaves room for a busy server.
const requestTimeoutMs = 60_000;

function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    if (typeof cause?.code === "string") return cause.code;
    if (typeof cause?.message === "string") return cause.message;
    return error.name === "TimeoutError" ? `no answer within ${requestTimeoutMs / 1000} s` : error.message;
  }
  return String(error);
}

function buildUrl(baseUrl: string, path: string, options: CallOptions): URL {
  const filled = path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = options.params?.[name];
    if (value === undefined) throw new Error(`no value for the path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
  const url = new URL(`${baseUrl.replace(/\/+$/, "")}${filled}`);
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
  return url;
}

function parseError(status: number, statusText: string, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { resultCode?: unknown; resultMessage?: unknown };
    if (typeof body.resultMessage === "string") return new ApiError(status, typeof body.resultCode === "string" ? body.resultCode : undefined, body.resultMessage);
  } catch {
    // Not JSON (a proxy's error page, say): fall through to the status line.
  }
  const excerpt = text.trim().slice(0, 200);
  return new ApiError(status, undefined, excerpt === "" ? statusText || "no body" : excerpt);
}

/** Calls one operation; resolves to the parsed JSON answer (undefined for 204), rejects with ApiError or CommandFailure. */
export async function callApi<M extends Method>(target: ApiTarget, method: M, path: PathWith<M>, options: CallOptions = {}): Promise<unknown> {
  const url = buildUrl(target.baseUrl, path, options);
  const headers: Record<string, string> = { authorization: `Bearer ${target.token}`, accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  let text: string;
  try {
    response = await target.fetch(url, {
      method: method.toUpperCase(),
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new CommandFailure(`cannot reach Tessera at ${target.baseUrl}: ${reason(error)}`);
  }
  if (!response.ok) throw parseError(response.status, response.statusText, text);
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CommandFailure(`${method.toUpperCase()} ${url.pathname} answered ${response.status} with a body that is not JSON`);
  }
}
