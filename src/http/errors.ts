import { z } from "@hono/zod-openapi";
import { type ResultCodeName, resultBody, resultCodes } from "../core/result-codes.js";

/** Authlete's error body for a failed call to the API itself. */
export const ResultSchema = z
  .object({
    resultCode: z.string().openapi({ example: "A002201" }),
    resultMessage: z.string().openapi({ example: "[A002201] No service 1234567890 exists." }),
  })
  .openapi("Result");

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

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ResultSchema } },
});

/** Error responses every authenticated operation can give; spread into each route's `responses`. */
export const commonErrorResponses = {
  400: errorResponse("The request to Tessera is malformed or invalid."),
  401: errorResponse("The API token is missing or invalid."),
  403: errorResponse("The API token lacks the required permission."),
  404: errorResponse("The service or object does not exist (or is not visible to this token)."),
  413: errorResponse("The request body is too large."),
  415: errorResponse("The request body has an unsupported content type."),
  429: errorResponse("The rate limit of this API token was exceeded."),
  500: errorResponse("Tessera failed; the message carries a request id for the logs."),
} as const;
