/**
 * Turning Tessera's answers into HTTP responses (docs/endpoints/*.md): every relayed response
 * carries `Cache-Control: no-store` and `Pragma: no-cache`, JSON bodies are
 * `application/json;charset=UTF-8`, and bearer-protected endpoints put `responseContent` into
 * `WWW-Authenticate` instead of the body.
 */
export const noStore = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

const json = "application/json;charset=UTF-8";
const html = "text/html;charset=UTF-8";

type Status = 200 | 201 | 302 | 400 | 401 | 403 | 404 | 413 | 500;

export function relayJson(status: Status, body: string | null | undefined, headers: Record<string, string> = {}): Response {
  return new Response(body ?? "", { status, headers: { ...noStore, "Content-Type": json, ...headers } });
}

export function relayBody(status: Status, body: string | null | undefined, contentType: string): Response {
  return new Response(body ?? "", { status, headers: { ...noStore, "Content-Type": contentType } });
}

export function relayHtml(status: Status, body: string | null | undefined): Response {
  return relayBody(status, body, html);
}

export function relayRedirect(location: string | null | undefined): Response {
  return new Response(null, { status: 302, headers: { ...noStore, Location: location ?? "/" } });
}

/** Userinfo and bearer errors: the body is empty and `responseContent` is the challenge (RFC 6750 §3). */
export function relayBearerError(status: Status, challenge: string | null | undefined): Response {
  return new Response(null, { status, headers: { ...noStore, ...(challenge ? { "WWW-Authenticate": challenge } : {}) } });
}

/** An OAuth error we answer ourselves (the request never reached Tessera, or Tessera refused the call). */
export function oauthError(status: Status, error: string, description: string, headers: Record<string, string> = {}): Response {
  return relayJson(status, JSON.stringify({ error, error_description: description }), headers);
}

/**
 * The two halves of `Authorization: Basic …`: base64-decoded, split at the first `:`, then
 * form-decoded as RFC 6749 §2.3.1 has the client encode them, which is the form Tessera (like
 * Authlete) expects in `clientId`/`clientSecret`. A half that is not valid form encoding is passed
 * as it came, so it fails authentication unless it was the literal secret. Null without a Basic header.
 */
export function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null {
  const match = header ? /^Basic[ ]+([A-Za-z0-9+/=]+)[ ]*$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/** True for a form body (RFC 6749 §3.2 token, RFC 7009 revocation and RFC 7662 introspection requests). */
export function isForm(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded";
}
