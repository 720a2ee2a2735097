/**
 * Server-rendered pages: login, consent, errors, "signed out" and the demo callback. Every value
 * is HTML-escaped; every form carries the session's CSRF token, and the login and consent forms
 * the id of the pending request they belong to. Pages may not be framed
 * (clickjacking: `X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`) and load nothing but images.
 */
import type { Schema } from "../../sdk/index.js";
import { noStore } from "./relay.js";

export const pageSecurityHeaders = {
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
} as const;

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

type Client = NonNullable<Schema<"AuthorizationResponse">["client"]>;
type Scope = Schema<"AuthorizationScope">;

const safeColour = (colour: string | undefined) => (colour && /^#[0-9a-fA-F]{6}$/.test(colour) ? colour : "#3b5bdb");
const safeUrl = (url: string | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);

export function page(status: 200 | 400 | 401 | 404 | 500, title: string, body: string, colour?: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; border-top: 6px solid ${safeColour(colour)}; }
  label { display: block; margin: 1rem 0 .25rem; } input[type=text], input[type=password] { width: 100%; padding: .5rem; box-sizing: border-box; }
  button { margin-top: 1.25rem; padding: .5rem 1rem; } .primary { background: ${safeColour(colour)}; color: #fff; border: 0; border-radius: 4px; }
  .error { color: #b00020; } img.logo { max-height: 48px; } li { margin: .4rem 0; } small { color: #555; }
</style></head>
<body><main>${body}</main></body></html>`;
  return new Response(html, { status, headers: { ...noStore, ...pageSecurityHeaders, "Content-Type": "text/html;charset=UTF-8" } });
}

function clientHeader(client: Client | undefined): string {
  const logo = safeUrl(client?.logoUri);
  const name = client?.clientName ?? client?.clientIdAlias ?? "An application";
  return `${logo ? `<img class="logo" src="${escapeHtml(logo)}" alt="">` : ""}<h1>${escapeHtml(name)}</h1>`;
}

function clientLinks(client: Client | undefined): string {
  const links = [
    safeUrl(client?.policyUri) ? `<a href="${escapeHtml(client?.policyUri)}">Privacy policy</a>` : "",
    safeUrl(client?.tosUri) ? `<a href="${escapeHtml(client?.tosUri)}">Terms of service</a>` : "",
  ].filter(Boolean);
  return links.length > 0 ? `<p><small>${links.join(" · ")}</small></p>` : "";
}

export function loginPage(options: { client: Client | undefined; csrfToken: string; pendingId: string; loginHint?: string; error?: string }): Response {
  const { client, csrfToken, pendingId, loginHint, error } = options;
  return page(
    error ? 401 : 200,
    "Sign in",
    `${clientHeader(client)}
<p>Sign in to continue to ${escapeHtml(client?.clientName ?? "the application")}.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/authorize/login">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <input type="hidden" name="pending" value="${escapeHtml(pendingId)}">
  <label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(loginHint ?? "")}" required autofocus>
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
  <button class="primary" type="submit" name="decision" value="login">Sign in</button>
  <button type="submit" name="decision" value="cancel" formnovalidate>Cancel</button>
</form>${clientLinks(client)}`,
    client?.brandColor,
  );
}

/** Where a signed-in user sees (and disconnects) the applications they allowed; every page that names the user links to it. */
export const connectedAppsPath = "/account/apps";

export function connectedAppsLink(): string {
  return `<p><small><a href="${connectedAppsPath}">Apps connected to your account</a></small></p>`;
}

export function consentPage(options: {
  client: Client | undefined;
  scopes: readonly Scope[];
  /** Claim names the client asks for (ID token and UserInfo), as the user agrees to them too. */
  claims: readonly string[];
  csrfToken: string;
  pendingId: string;
  username: string;
  /** Grant Management: what the grant this consent merges into or replaces holds already. */
  grant?: Schema<"Grant">;
  gmAction?: Schema<"AuthorizationResponse">["gmAction"];
}): Response {
  const { client, scopes, claims, csrfToken, pendingId, username } = options;
  const items = scopes
    .map((scope) => `<li><strong>${escapeHtml(scope.name)}</strong>${scope.description ? ` — ${escapeHtml(scope.description)}` : ""}</li>`)
    .join("");
  const details = claims.length > 0 ? `<p><small>Details shared: ${claims.map((claim) => `<code>${escapeHtml(claim)}</code>`).join(", ")}</small></p>` : "";
  const granted = options.grant ? existingGrant(options.grant, options.gmAction) : "";
  return page(
    200,
    "Allow access?",
    `${clientHeader(client)}
<p>${escapeHtml(client?.clientName ?? "This application")} wants to access your account <strong>${escapeHtml(username)}</strong>:</p>
<ul>${items || "<li>Basic access</li>"}</ul>
${details}${granted}
<form method="post" action="/authorize/consent">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <input type="hidden" name="pending" value="${escapeHtml(pendingId)}">
  <button class="primary" type="submit" name="decision" value="allow">Allow</button>
  <button type="submit" name="decision" value="deny">Cancel</button>
</form>${clientLinks(client)}${connectedAppsLink()}`,
    client?.brandColor,
  );
}

/** What an existing grant holds, and what becomes of it: a merge adds to it, a replace keeps only what is asked now. */
function existingGrant(grant: Schema<"Grant">, action: Schema<"AuthorizationResponse">["gmAction"]): string {
  const scopes = (grant.scopes ?? []).flatMap((entry) => (entry.scope ? entry.scope.split(" ") : []));
  const claims = grant.claims ?? [];
  const held = [
    ...scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`),
    ...claims.map((claim) => `<code>${escapeHtml(claim)}</code>`),
    ...(grant.authorizationDetails?.elements ?? []).map((element) => `<code>${escapeHtml(element.type)}</code>`),
  ];
  const effect = action === "REPLACE" ? "Allowing replaces it with what is asked above." : "Allowing adds what is asked above to it.";
  return `<p id="existing-grant"><small>This application already holds: ${held.join(", ") || "nothing yet"}. ${effect}</small></p>`;
}

export function errorPage(status: 400 | 404 | 500, title: string, message: string): Response {
  return page(status, title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** Logout without an id_token_hint naming the signed-in user: the user confirms, so another site cannot sign them out (CSRF). */
export function logoutConfirmPage(options: { csrfToken: string; carried: Record<string, string>; username: string }): Response {
  const hidden = Object.entries(options.carried)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n  ");
  return page(
    200,
    "Sign out?",
    `<h1>Sign out?</h1>
<p>You are signed in as <strong>${escapeHtml(options.username)}</strong>.</p>
<form method="post" action="/logout">
  <input type="hidden" name="csrf" value="${escapeHtml(options.csrfToken)}">
  ${hidden}
  <button class="primary" type="submit" name="decision" value="logout">Sign out</button>
</form>${connectedAppsLink()}`,
  );
}

export function signedOutPage(): Response {
  return page(200, "Signed out", "<h1>You are signed out</h1><p>You can close this window.</p>");
}

/** The demo relying party's redirect URI: shows what the authorization server sent back. */
export function callbackPage(query: Record<string, string>): Response {
  const rows = Object.entries(query)
    .map(([name, value]) => `<tr><th align="left">${escapeHtml(name)}</th><td><code id="${escapeHtml(name)}">${escapeHtml(value)}</code></td></tr>`)
    .join("");
  const title = query.error ? "Authorization failed" : "Authorization code received";
  return page(200, title, `<h1>${escapeHtml(title)}</h1><table>${rows}</table><p><small>Exchange the code at POST /token with the PKCE code_verifier that \`npm run demo\` printed.</small></p>`);
}
