/**
 * The one registry of result codes. Format `A` + six digits: three for the area, one for the
 * category (0 success, 1 Tessera's own failure, 2 the API caller's request is wrong, 3 the OAuth
 * client's request is wrong), two for the sequence. Codes Authlete documents keep Authlete's number.
 * `docs/result-codes.md` is generated from this table (`tessera result-codes`).
 *
 * `status` is the HTTP status used when the code answers a failed call to Tessera itself
 * (categories 1 and 2); runtime verdicts (category 3) travel inside a 200 with an `action`.
 */
export interface ResultCodeDefinition {
  code: string;
  status: number;
  message: string;
}

const define = <T extends Record<string, ResultCodeDefinition>>(table: T): T => table;

export const resultCodes = define({
  // 000 — the API itself
  internalError: { code: "A000101", status: 500, message: "Tessera failed to process the request (request id %s)." },
  malformedJson: { code: "A000201", status: 400, message: "The request body is not valid JSON: %s" },
  bodyTooLarge: { code: "A000202", status: 413, message: "The request body exceeds the limit of %s bytes." },
  unsupportedContentType: { code: "A000203", status: 415, message: "The content type %s is not accepted; send application/json." },
  invalidRequestBody: { code: "A000204", status: 400, message: "The request is invalid: %s" },
  routeNotFound: { code: "A000205", status: 404, message: "No API operation is %s %s." },
  methodNotAllowed: { code: "A000206", status: 405, message: "The method %s is not allowed on %s." },
  invalidPathParameter: { code: "A000207", status: 400, message: "The path parameter %s is invalid: %s" },
  invalidQueryParameter: { code: "A000208", status: 400, message: "The query parameter %s is invalid: %s" },
  healthy: { code: "A000001", status: 200, message: "Tessera is running." },

  // 001 — API callers and their tokens
  authorizationHeaderMissing: { code: "A001202", status: 401, message: "The request has no Authorization header with a Bearer API token." },
  apiTokenInvalid: { code: "A001203", status: 401, message: "The API token is unknown or was deleted." },
  permissionDenied: { code: "A001204", status: 403, message: "The API token lacks the permission %s needed for this operation." },
  adminTokenRequired: { code: "A001205", status: 403, message: "Only an organization (admin) token may perform this operation." },
  clientLocked: { code: "A001215", status: 403, message: "The client %s is locked." },
  apiTokenCreated: { code: "A001001", status: 200, message: "The API token was created. Its value is shown only in this response." },
  apiTokenListed: { code: "A001002", status: 200, message: "The API tokens of the service were listed." },
  apiTokenNotFound: { code: "A001206", status: 404, message: "No API token %s exists in this service." },
  rateLimited: { code: "A001207", status: 429, message: "Too many requests for this API token and category; retry after %s seconds." },

  // 002 — services
  serviceCreated: { code: "A002001", status: 200, message: "The service was created." },
  serviceFound: { code: "A002002", status: 200, message: "The service was found." },
  servicesListed: { code: "A002003", status: 200, message: "The services were listed." },
  serviceUpdated: { code: "A002004", status: 200, message: "The service was updated." },
  serviceNotFound: { code: "A002201", status: 404, message: "No service %s exists." },
  serviceSettingsInvalid: { code: "A002202", status: 400, message: "The service settings are invalid: %s" },

  // 003 — clients
  clientCreated: { code: "A003001", status: 200, message: "The client was created." },
  clientFound: { code: "A003002", status: 200, message: "The client was found." },
  clientsListed: { code: "A003003", status: 200, message: "The clients were listed." },
  clientUpdated: { code: "A003004", status: 200, message: "The client was updated." },
  clientLockFlagUpdated: { code: "A003005", status: 200, message: "The lock flag of the client was updated." },
  clientNotFound: { code: "A003201", status: 404, message: "No client %s exists in this service." },
  clientMetadataInvalid: { code: "A003202", status: 400, message: "The client metadata is invalid: %s" },
  clientIdAliasTaken: { code: "A003203", status: 400, message: "The clientIdAlias %s is already used by another client of this service." },
  clientSecretRefreshed: { code: "A148001", status: 200, message: "The client secret was refreshed." },
  clientSecretUpdated: { code: "A149001", status: 200, message: "The client secret was updated." },
  clientSecretInvalid: { code: "A149201", status: 400, message: "The client secret is invalid: %s" },
  clientSecretNotApplicable: { code: "A149202", status: 400, message: "The client %s is public and has no secret." },
} as const);

export type ResultCodeName = keyof typeof resultCodes;

/** `{resultCode, resultMessage}` with `%s` placeholders filled in order. */
export function resultBody(name: ResultCodeName, ...args: Array<string | number>): { resultCode: string; resultMessage: string } {
  const def = resultCodes[name];
  let index = 0;
  const text = def.message.replace(/%s/g, () => String(args[index++] ?? ""));
  return { resultCode: def.code, resultMessage: `[${def.code}] ${text}` };
}
