/**
 * Server-rendered pages: login, consent, errors, "signed out" and the demo callback, in the
 * request's language (i18n/) and the service's theme (theme.ts). Every value is HTML-escaped;
 * every form carries the session's CSRF token, and the login and consent forms the id of the
 * pending request they belong to. Pages may not be framed (clickjacking: `X-Frame-Options: DENY`,
 * CSP `frame-ancestors 'none'`) and load nothing but images.
 */
import type { Schema } from "../../sdk/index.js";
import { type Locale, translations } from "./i18n/index.js";
import type { ErrorKind, Html } from "./i18n/messages.js";
import { languageLink } from "./language.js";
import { noStore } from "./relay.js";
import { isColour, isImageUrl } from "./theme.js";
import type { Ui } from "./ui.js";

export const pageSecurityHeaders = {
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
} as const;

export function escapeHtml(value: unknown): Html {
  return String(value ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`) as Html;
}

type Client = NonNullable<Schema<"AuthorizationResponse">["client"]>;
type Scope = Schema<"AuthorizationScope">;
export type PageStatus = 200 | 400 | 401 | 403 | 404 | 500;

const safeUrl = (url: string | undefined) => (isImageUrl(url) ? url : null);

/**
 * `accent`: a client's `brandColor` on the pages about that client; it replaces the theme's
 * primary colour there, as a client's branding always did.
 */
export function page(ui: Ui, status: PageStatus, title: string, body: string, accent?: string): Response {
  const { theme } = ui;
  const primary = isColour(accent) ? accent : theme.primaryColor;
  const logo = theme.logoUrl ? `<img class="service-logo" src="${escapeHtml(theme.logoUrl)}" alt="">` : "";
  const html = `<!doctype html>
<html lang="${ui.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(theme.name)}</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Yu Gothic UI", sans-serif; background: ${theme.backgroundColor}; color: ${theme.textColor}; margin: 0; line-height: 1.5; }
  header.service { max-width: 26rem; margin: 2.5rem auto 0; padding: 0 .25rem; display: flex; align-items: center; gap: .5rem; font-weight: 600; }
  img.service-logo { max-height: 32px; max-width: 160px; }
  main { max-width: 26rem; margin: 1rem auto 4rem; background: #fff; padding: 2rem; border-radius: 8px; border-top: 6px solid ${primary}; box-sizing: border-box; overflow-wrap: anywhere; }
  @media (max-width: 30rem) { header.service { margin: 1rem .75rem 0; max-width: none; } main { margin: .75rem .5rem 2rem; padding: 1.25rem; max-width: none; } }
  a { color: ${primary}; }
  label { display: block; margin: 1rem 0 .25rem; } input[type=text], input[type=password] { width: 100%; padding: .5rem; box-sizing: border-box; font: inherit; }
  button { margin-top: 1.25rem; padding: .5rem 1rem; font: inherit; } .primary { background: ${primary}; color: #fff; border: 0; border-radius: 4px; }
  .error { color: #b00020; } img.logo { max-height: 48px; max-width: 100%; } li { margin: .4rem 0; } small { color: #555; }
  table { width: 100%; table-layout: fixed; border-collapse: collapse; } th { width: 30%; text-align: left; vertical-align: top; padding: .25rem .5rem .25rem 0; } td { padding: .25rem 0; }
  code { overflow-wrap: anywhere; } td code { word-break: break-all; }
  nav.languages { max-width: 26rem; margin: -3rem auto 2rem; text-align: center; font-size: .9rem; }
</style></head>
<body><header class="service">${logo}<span class="service-name">${escapeHtml(theme.name)}</span></header>
<main>${body}</main>${languageLinks(ui)}</body></html>`;
  return new Response(html, {
    status,
    headers: { ...noStore, ...pageSecurityHeaders, "Content-Type": "text/html;charset=UTF-8", "Content-Language": ui.locale },
  });
}

/** A link to each other language, on pages the browser can load again; the current one is named, not linked. */
function languageLinks(ui: Ui): string {
  const { returnTo } = ui;
  if (returnTo === undefined) return "";
  const items = (Object.keys(translations) as Locale[]).map((locale) => {
    const name = escapeHtml(translations[locale].languageName);
    return locale === ui.locale
      ? `<strong lang="${locale}">${name}</strong>`
      : `<a href="${escapeHtml(languageLink(locale, returnTo))}" lang="${locale}" hreflang="${locale}">${name}</a>`;
  });
  return `<nav class="languages" aria-label="${escapeHtml(ui.t.languages)}">${items.join(" · ")}</nav>`;
}

function clientHeader(ui: Ui, client: Client | undefined): string {
  const logo = safeUrl(client?.logoUri);
  const name = client?.clientName ?? client?.clientIdAlias ?? ui.t.anApplication;
  return `${logo ? `<img class="logo" src="${escapeHtml(logo)}" alt="">` : ""}<h1>${escapeHtml(name)}</h1>`;
}

function clientLinks(ui: Ui, client: Client | undefined): string {
  const links = [
    safeUrl(client?.policyUri) ? `<a href="${escapeHtml(client?.policyUri)}">${escapeHtml(ui.t.privacyPolicy)}</a>` : "",
    safeUrl(client?.tosUri) ? `<a href="${escapeHtml(client?.tosUri)}">${escapeHtml(ui.t.termsOfService)}</a>` : "",
  ].filter(Boolean);
  return links.length > 0 ? `<p><small>${links.join(" · ")}</small></p>` : "";
}

/** The username and password fields every sign-in form shares. */
export function credentialFields(ui: Ui, username = "", autofocus = true): string {
  return `<label for="username">${escapeHtml(ui.t.username)}</label><input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(username)}" required${autofocus ? " autofocus" : ""}>
  <label for="password">${escapeHtml(ui.t.password)}</label><input id="password" name="password" type="password" autocomplete="current-password" required>`;
}

export function errorLine(error: string | undefined): string {
  return error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : "";
}

export function loginPage(ui: Ui, options: { client: Client | undefined; csrfToken: string; pendingId: string; loginHint?: string; error?: string }): Response {
  const { client, csrfToken, pendingId, loginHint, error } = options;
  const { t } = ui;
  return page(
    ui,
    error ? 401 : 200,
    t.signInTitle,
    `${clientHeader(ui, client)}
<p>${t.signInToContinue(escapeHtml(client?.clientName ?? t.theApplication))}</p>
${errorLine(error)}
<form method="post" action="/authorize/login">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <input type="hidden" name="pending" value="${escapeHtml(pendingId)}">
  ${credentialFields(ui, loginHint ?? "")}
  <button class="primary" type="submit" name="decision" value="login">${escapeHtml(t.signIn)}</button>
  <button type="submit" name="decision" value="cancel" formnovalidate>${escapeHtml(t.cancel)}</button>
</form>${clientLinks(ui, client)}`,
    client?.brandColor,
  );
}

/** Where a signed-in user sees (and disconnects) the applications they allowed; every page that names the user links to it. */
export const connectedAppsPath = "/account/apps";

export function connectedAppsLink(ui: Ui): string {
  return `<p><small><a href="${connectedAppsPath}">${escapeHtml(ui.t.connectedAppsLink)}</a></small></p>`;
}

/** A scope's description in the page's language when the service has one (`descriptions`, by BCP 47 tag), else its default. */
export function scopeDescription(ui: Ui, scope: Scope): string | undefined {
  const localized = scope.descriptions?.find((entry) => entry.tag.split("-")[0]!.toLowerCase() === ui.locale);
  return localized?.value ?? scope.description;
}

export function scopeItems(ui: Ui, scopes: readonly Scope[]): string {
  const items = scopes
    .map((scope) => {
      const description = scopeDescription(ui, scope);
      return `<li><strong>${escapeHtml(scope.name)}</strong>${description ? ` — ${escapeHtml(description)}` : ""}</li>`;
    })
    .join("");
  return items || `<li>${escapeHtml(ui.t.basicAccess)}</li>`;
}

export function consentPage(
  ui: Ui,
  options: {
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
  },
): Response {
  const { client, scopes, claims, csrfToken, pendingId, username } = options;
  const { t } = ui;
  const details = claims.length > 0 ? `<p><small>${t.detailsShared(codes(claims))}</small></p>` : "";
  const granted = options.grant ? existingGrant(ui, options.grant, options.gmAction) : "";
  return page(
    ui,
    200,
    t.consentTitle,
    `${clientHeader(ui, client)}
<p>${t.wantsAccess(escapeHtml(client?.clientName ?? t.anApplication), escapeHtml(username))}</p>
<ul>${scopeItems(ui, scopes)}</ul>
${details}${granted}
<form method="post" action="/authorize/consent">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <input type="hidden" name="pending" value="${escapeHtml(pendingId)}">
  <button class="primary" type="submit" name="decision" value="allow">${escapeHtml(t.allow)}</button>
  <button type="submit" name="decision" value="deny">${escapeHtml(t.cancel)}</button>
</form>${clientLinks(ui, client)}${connectedAppsLink(ui)}`,
    client?.brandColor,
  );
}

/** Names shown as code, comma-separated. */
export function codes(names: readonly string[]): Html {
  return names.map((name) => `<code>${escapeHtml(name)}</code>`).join(", ") as Html;
}

/** What an existing grant holds, and what becomes of it: a merge adds to it, a replace keeps only what is asked now. */
function existingGrant(ui: Ui, grant: Schema<"Grant">, action: Schema<"AuthorizationResponse">["gmAction"]): string {
  const scopes = (grant.scopes ?? []).flatMap((entry) => (entry.scope ? entry.scope.split(" ") : []));
  const held = [...scopes, ...(grant.claims ?? []), ...(grant.authorizationDetails?.elements ?? []).map((element) => element.type)];
  const effect = action === "REPLACE" ? ui.t.grantReplaced : ui.t.grantMerged;
  return `<p id="existing-grant"><small>${ui.t.alreadyHolds(held.length > 0 ? codes(held) : escapeHtml(ui.t.nothingYet))} ${escapeHtml(effect)}</small></p>`;
}

/**
 * A page for what cannot go back to the application (docs/login-server.md, "Error pages"): what the
 * user can do, in their language, and the request id. Why it happened goes to the log (ui.ts
 * `logFailure`), never here: result codes and Tessera's messages are for the operator.
 */
export function errorPage(ui: Ui, status: Exclude<PageStatus, 200>, kind: ErrorKind): Response {
  const { title, text } = ui.t.errors[kind];
  const reference = ui.requestId ? `<p><small>${ui.t.errorReference(escapeHtml(ui.requestId))}</small></p>` : "";
  return page(ui, status, title, `<h1 id="error-title" data-error="${kind}">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${reference}`);
}

/** Logout without an id_token_hint naming the signed-in user: the user confirms, so another site cannot sign them out (CSRF). */
export function logoutConfirmPage(ui: Ui, options: { csrfToken: string; carried: Record<string, string>; username: string }): Response {
  const { t } = ui;
  const hidden = Object.entries(options.carried)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n  ");
  return page(
    ui,
    200,
    t.signOutTitle,
    `<h1>${escapeHtml(t.signOutTitle)}</h1>
<p>${t.signedInAs(escapeHtml(options.username))}</p>
<form method="post" action="/logout">
  <input type="hidden" name="csrf" value="${escapeHtml(options.csrfToken)}">
  ${hidden}
  <button class="primary" type="submit" name="decision" value="logout">${escapeHtml(t.signOut)}</button>
</form>${connectedAppsLink(ui)}`,
  );
}

export function signedOutPage(ui: Ui): Response {
  return page(ui, 200, ui.t.signedOutTitle, `<h1>${escapeHtml(ui.t.signedOutHeading)}</h1><p>${escapeHtml(ui.t.closeWindow)}</p>`);
}

/** The demo relying party's redirect URI: shows what the authorization server sent back; long values wrap. */
export function callbackPage(ui: Ui, query: Record<string, string>): Response {
  const rows = Object.entries(query)
    .map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td><code id="${escapeHtml(name)}">${escapeHtml(value)}</code></td></tr>`)
    .join("");
  const title = query.error ? ui.t.callbackFailed : ui.t.callbackReceived;
  return page(ui, 200, title, `<h1>${escapeHtml(title)}</h1><table>${rows}</table><p><small>${ui.t.callbackHint}</small></p>`);
}
