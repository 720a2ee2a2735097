import { z } from "@hono/zod-openapi";
import { type ResultCodeName, resultBody, resultCodes } from "../core/result-codes.js";

/** Authlete's error body for a failed call to the API itself. */
export const ResultSchema = z
  .object({
    resultCode: z.string().openapi({ description: "The result code: `A`, three digits naming the API, three naming the result (docs/result-codes.md)." }),
    resultMessage: z.string().openapi({ description: "The code in brackets and what happened, in English; for a 500 with the request id to look for in the logs." }),
  })
  .openapi("Result", { description: "What went wrong with a call to Tessera itself (not a protocol error: those are 200 answers with an `action`)." });

/** Thrown by handlers for caller mistakes; the error handler turns it into `{resultCode, resultMessage}` with its status. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: { resultCode: string; resultMessage: string };

  constructor(name: ResultCodeName, ...args: Array<string | number>) {
    const body = resultBody(name, ...args);
    super(body.resultMessage);
    this.status = resultCodes[name].status;
    this.body = body;
  }
}

// Each status shows a body Tessera really sends for it, built from the result-code table so the
// examples cannot drift from the codes.
const errorResponse = (description: string, example: { resultCode: string; resultMessage: string }) => ({
  description,
  content: { "application/json": { schema: ResultSchema, example } },
});

/** Error responses every authenticated operation can give; spread into each route's `responses`. */
export const commonErrorResponses = {
  400: errorResponse("The request to Tessera is malformed or invalid.", resultBody("invalidRequestBody", "parameters: Invalid input: expected string, received undefined")),
  401: errorResponse("The API token is missing or invalid.", resultBody("apiTokenInvalid")),
  403: errorResponse("The API token lacks the required permission.", resultBody("permissionDenied", "MODIFY_CLIENT")),
  404: errorResponse("The service or object does not exist (or is not visible to this token).", resultBody("serviceNotFound", "1234567890")),
  413: errorResponse("The request body is too large.", resultBody("bodyTooLarge", 1048576)),
  415: errorResponse("The request body has an unsupported content type.", resultBody("unsupportedContentType", "text/plain")),
  429: errorResponse("The rate limit of this API token was exceeded.", resultBody("rateLimited", 12)),
  500: errorResponse("Tessera failed; the message carries a request id for the logs.", resultBody("internalError", "8f14e45f-ceea-467f-a0e6-b1c2d3e4f5a6")),
} as const;

/** The 403 of an operation that needs `requirement`: the refusal a token without it gets. */
export function permissionDeniedResponse(requirement: string) {
  return requirement === "ADMIN"
    ? errorResponse("Only an organization (admin) token may call this operation.", resultBody("adminTokenRequired"))
    : errorResponse(`The API token lacks the permission ${requirement}.`, resultBody("permissionDenied", requirement));
}
