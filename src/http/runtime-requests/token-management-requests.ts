import { z } from "@hono/zod-openapi";
import { honoured, extension } from "../../domain/field-support.js";
import { pageOffset } from "../routes/management/params.js";

const query = (name: string) => ({ param: { name, in: "query" as const } });
const clientIdentifier = z.string().min(1).max(200);
const subject = z.string().min(1).max(200);
const tokenIdentifier = z.string().min(1).max(8192);

/** `GET /auth/token/get/list` (Authlete's `auth_token_get_list_api` query). */
export const tokenListQueryFields = {
  clientIdentifier: honoured(
    clientIdentifier.optional().openapi(query("clientIdentifier")),
    "Only the tokens of this client (its clientId or clientIdAlias). A client unknown in this service matches no token: the list is empty.",
  ),
  subject: honoured(subject.optional().openapi(query("subject")), "Only the tokens of this subject (the resource owner); one without tokens gets an empty list."),
  start: honoured(pageOffset("start", "0"), "Index of the first token of the page (inclusive), default 0; beyond the last token the page is empty."),
  end: honoured(pageOffset("end", "start + 5"), "Index after the last token of the page (exclusive), default start + 5, at most start + 1000; below start: A000208."),
  tokenStatus: extension(
    z.enum(["VALID", "INVALID", "ALL"]).optional().openapi(query("tokenStatus")),
    "VALID: tokens still usable (the access token is live, or its refresh token can still refresh); INVALID: the others (revoked, expired, rotated); ALL (default): both. Authlete's Java and SDK clients send it.",
  ),
};

/** `DELETE /auth/token/delete/{accessTokenIdentifier}`: everything is in the path. */
export const tokenDeleteRequestFields = {};

/** `POST /auth/token/revoke` (Authlete's `token_revoke_request`). */
export const tokenRevokeRequestFields = {
  accessTokenIdentifier: honoured(
    tokenIdentifier.optional(),
    "An access token (its value or its `accessTokenHash`): it is revoked with the refresh token issued with it.",
  ),
  refreshTokenIdentifier: honoured(
    tokenIdentifier.optional(),
    "A refresh token (its value or its `refreshTokenHash`): it is revoked with the access tokens issued with it.",
  ),
  clientIdentifier: honoured(
    clientIdentifier.optional(),
    "Every token of this client (its clientId or clientIdAlias), of `subject` only when it is given; the grants are revoked too. Not with a token identifier (A136203).",
  ),
  subject: honoured(subject.optional(), "Every token of this subject, at `clientIdentifier` only when it is given; the grants are revoked too. Not with a token identifier (A136203)."),
};
