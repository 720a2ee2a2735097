import { resultCodes } from "../../src/core/result-codes.js";
import type { Operation } from "./operations.js";

/**
 * What every answer must satisfy, however hostile the request: never a 5xx; always JSON; a failed
 * call is `{resultCode, resultMessage}` with a 4xx; a runtime 200 carries a declared `action` whose
 * `responseContent` is of the right kind (OAuth error JSON, a redirect URL, an HTML form, or a
 * `WWW-Authenticate` value); and no HTML we produce contains markup we did not write.
 */

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  ms: number;
}

const ERROR_STATUSES = new Set([400, 401, 403, 404, 405, 413, 415, 429]);
const ERROR_ACTIONS = new Set(["BAD_REQUEST", "INVALID_CLIENT", "UNAUTHORIZED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"]);
/** Category-1 codes that relay a failure the login server reported, not one of Tessera's. */
const CALLER_REPORTED_FAILURES = new Set<string>([resultCodes.tokenFailUnknown.code]);
/** RFC 6749 §5.2: error and error_description are %x20-21 / %x23-5B / %x5D-7E. */
const OAUTH_ERROR_CHARS = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;
/** RFC 6750 §3 / RFC 9110 §11: scheme, then comma-separated name="quoted-string" parameters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a quoted-string must not hold
const CHALLENGE = /^(Bearer|Basic|DPoP)(?: [A-Za-z_]+="(?:[^"\\\x00-\x1f\x7f]|\\[\x20-\x7e])*"(?:, ?[A-Za-z_]+="(?:[^"\\\x00-\x1f\x7f]|\\[\x20-\x7e])*")*)?$/;
/** The only tags our HTML pages (form_post) consist of. */
const OUR_TAGS = /<(?:!DOCTYPE html|\/?html|\/?head|meta charset="utf-8"|\/?title|body(?: onload="document\.forms\[0\]\.submit\(\)")?|\/body|form method="post" action="[^"<>]*"|\/form|input type="hidden" name="[^"<>]*" value="[^"<>]*"|\/?noscript|button type="submit"|\/button)>/g;

/** Violations of the HTML rule: markup other than the tags we write, or a quote/angle bracket loose in an attribute. */
export function htmlViolations(html: string): string[] {
  const rest = html.replace(OUR_TAGS, "");
  const problems: string[] = [];
  if (/[<>]/.test(rest)) problems.push(`HTML contains markup we did not write: ${JSON.stringify(rest.slice(Math.max(0, rest.search(/[<>]/) - 40), rest.search(/[<>]/) + 60))}`);
  return problems;
}

function looksLikeHtml(value: string): boolean {
  return /<\s*(!doctype|html|form|body|script|input)/i.test(value);
}

function oauthErrorViolations(where: string, text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [`${where}: not JSON: ${text.slice(0, 120)}`];
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [`${where}: not a JSON object`];
  const body = parsed as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof body.error !== "string" || body.error === "") problems.push(`${where}: no OAuth error code: ${text.slice(0, 160)}`);
  for (const field of ["error", "error_description", "error_uri"]) {
    const value = body[field];
    if (value !== undefined && (typeof value !== "string" || !OAUTH_ERROR_CHARS.test(value))) {
      problems.push(`${where}: ${field} outside the RFC 6749 character set: ${JSON.stringify(value).slice(0, 160)}`);
    }
  }
  return problems;
}

function locationViolations(where: string, value: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a redirect URL must not carry control characters
  if (/[\s\x00-\x1f\x7f]/.test(value)) return [`${where}: redirect URL contains whitespace or control characters: ${JSON.stringify(value.slice(0, 160))}`];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [`${where}: not an absolute URL: ${value.slice(0, 160)}`];
  }
  if (["javascript:", "data:", "vbscript:", "file:"].includes(url.protocol)) return [`${where}: dangerous redirect scheme ${url.protocol}`];
  return [];
}

/** The kind of `responseContent` each action carries. */
function responseContentViolations(operation: Operation, action: string, content: unknown): string[] {
  const where = `${operation.operationId} ${action}`;
  if (!operation.relaysContent) return content === undefined ? [] : [`${where}: responseContent that the operation does not declare`];
  if (content === undefined || content === null) {
    // Only the actions that hand the decision back to the login server may omit it, and those with nothing
    // to relay: /gm's NO_CONTENT (204), CALLER_ERROR and AUTHLETE_ERROR (the login server answers 500 itself).
    return ["INTERACTION", "NO_INTERACTION", "PASSWORD", "JWT_BEARER", "OK", "NO_CONTENT", "CALLER_ERROR", "AUTHLETE_ERROR"].includes(action) ? [] : [`${where}: no responseContent`];
  }
  if (typeof content !== "string") return [`${where}: responseContent is not a string`];
  if (action === "LOCATION") return locationViolations(where, content);
  if (action === "FORM") return looksLikeHtml(content) ? htmlViolations(content) : [`${where}: FORM without an HTML page`];
  // Other contents are JSON, JWTs or challenges relayed as such (never rendered as HTML): markup
  // inside a JSON string is inert there.
  if (ERROR_ACTIONS.has(action)) {
    if (/^(Bearer|Basic|DPoP)\b/.test(content)) return CHALLENGE.test(content) ? [] : [`${where}: malformed WWW-Authenticate value: ${JSON.stringify(content.slice(0, 200))}`];
    return oauthErrorViolations(where, content);
  }
  return [];
}

/** Every broken rule of one answer; empty when the answer is fine. */
export function answerViolations(operation: Operation, answer: Answer): string[] {
  const where = `${operation.operationId} → ${answer.status}`;
  if (answer.status >= 500) return [`${where}: server error ${answer.text.slice(0, 300)}`];
  if (answer.status === 204) return answer.text === "" ? [] : [`${where}: 204 with a body`];
  const type = answer.headers.get("content-type") ?? "";
  // A success declared as something else (Authlete's text/plain healthcheck) is only checked for its type.
  if (answer.status === 200 && operation.successType !== "application/json") {
    return type.startsWith(operation.successType) ? [] : [`${where}: content-type ${type}, declared ${operation.successType}`];
  }
  if (!type.startsWith("application/json")) return [`${where}: content-type ${type}`];
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return [`${where}: body is not JSON: ${answer.text.slice(0, 200)}`];
  }
  if (typeof body !== "object" || body === null) return [`${where}: body is not an object`];

  if (answer.status !== 200) {
    const problems: string[] = [];
    if (!ERROR_STATUSES.has(answer.status)) problems.push(`${where}: unexpected status`);
    const code = body.resultCode;
    if (typeof code !== "string" || !/^A\d{6}$/.test(code)) problems.push(`${where}: resultCode ${JSON.stringify(code)}`);
    else if (typeof body.resultMessage !== "string" || !body.resultMessage.startsWith(`[${code}]`)) problems.push(`${where}: resultMessage ${JSON.stringify(body.resultMessage)}`);
    if (Object.keys(body).some((key) => !["resultCode", "resultMessage"].includes(key))) problems.push(`${where}: extra fields ${Object.keys(body).join(",")}`);
    if (/\n\s+at /.test(answer.text)) problems.push(`${where}: stack trace in the body`);
    return problems;
  }

  if (operation.actions.length === 0) return [];
  const problems: string[] = [];
  if (typeof body.resultCode !== "string" || typeof body.resultMessage !== "string") problems.push(`${where}: runtime answer without resultCode/resultMessage`);
  const action = body.action;
  if (typeof action !== "string" || !operation.actions.includes(action)) {
    problems.push(`${where}: action ${JSON.stringify(action)} not among ${operation.actions.join(",")}`);
    return problems;
  }
  // Authlete's token/fail and issue answer INTERNAL_SERVER_ERROR for a bad ticket too; only category 1 (A ddd 1 dd) is Tessera's own fault,
  // except where the caller itself reports a failure (/auth/token/fail with reason UNKNOWN).
  if (typeof body.resultCode === "string" && body.resultCode[4] === "1" && !CALLER_REPORTED_FAILURES.has(body.resultCode)) {
    problems.push(`${where}: Tessera failed (${String(body.resultMessage)})`);
  }
  problems.push(...responseContentViolations(operation, action, body.responseContent));
  return problems;
}

/** True when the answer refuses the request: then it must not have changed any state. */
export function isRejection(answer: Answer): boolean {
  if (answer.status >= 400) return true;
  if (answer.status !== 200) return false;
  try {
    const body = JSON.parse(answer.text) as { action?: unknown; responseContent?: unknown };
    if (typeof body.action !== "string") return false;
    if (ERROR_ACTIONS.has(body.action)) return true;
    // An error relayed by redirect or form_post (RFC 6749 §4.1.2.1).
    if ((body.action === "LOCATION" || body.action === "FORM") && typeof body.responseContent === "string") {
      return /[?#&]error=|name="error"/.test(body.responseContent);
    }
  } catch {
    return false;
  }
  return false;
}
