/**
 * The signed-in user's own pages: signing in to them, and "Apps connected to your account" with a
 * Disconnect button per app. Built like the login pages: every value escaped (client names and
 * descriptions are whatever a client's registration says), the session's CSRF token in every form,
 * nothing framed, the texts from the request's language (i18n/).
 */
import { type ConnectedApp, type ConnectedAppsPage, appsPerPage } from "./connected-apps.js";
import { markup } from "./i18n/messages.js";
import { connectedAppsPath, credentialFields, errorLine, escapeHtml, page } from "./pages.js";
import type { Ui } from "./ui.js";

export const accountLoginPath = "/account/login";
export const disconnectPath = "/account/apps/disconnect";

export function accountLoginPage(ui: Ui, options: { csrfToken: string; next: string; error?: string }): Response {
  const { csrfToken, next, error } = options;
  const { t } = ui;
  return page(
    ui,
    error ? 401 : 200,
    t.signInTitle,
    `<h1>${escapeHtml(t.signInTitle)}</h1>
<p>${escapeHtml(t.accountSignInIntro)}</p>
${errorLine(error)}
<form method="post" action="${accountLoginPath}">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <input type="hidden" name="next" value="${escapeHtml(next)}">
  ${credentialFields(ui)}
  <button class="primary" type="submit">${escapeHtml(t.signIn)}</button>
</form>`,
  );
}

/** What the user sees an app as: its name, else its alias, else its number. */
export function appName(ui: Ui, app: Pick<ConnectedApp, "clientId" | "clientName" | "clientIdAlias">): string {
  return app.clientName || app.clientIdAlias || ui.t.applicationNumber(String(app.clientId));
}

function appItem(ui: Ui, app: ConnectedApp, csrfToken: string, start: number): string {
  const kind = app.clientType === "PUBLIC" ? ui.t.publicClient : app.clientType === "CONFIDENTIAL" ? ui.t.confidentialClient : "";
  return `<li class="connected-app" data-client-id="${escapeHtml(app.clientId)}">
  <strong class="app-name">${escapeHtml(appName(ui, app))}</strong>${kind ? ` <small>(${escapeHtml(kind)})</small>` : ""}
  ${app.description ? `<br><small class="app-description">${escapeHtml(app.description)}</small>` : ""}
  <form method="post" action="${disconnectPath}">
    <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
    <input type="hidden" name="client_id" value="${escapeHtml(app.clientId)}">
    <input type="hidden" name="start" value="${escapeHtml(start)}">
    <button type="submit" name="decision" value="disconnect">${escapeHtml(ui.t.disconnect)}</button>
  </form>
</li>`;
}

/** "Previous" / "Next" links when the user has more apps than one page holds. */
function pagingLinks(ui: Ui, shown: ConnectedAppsPage): string {
  const { start, totalCount, apps } = shown;
  if (totalCount <= appsPerPage && start === 0) return "";
  const links = [
    start > 0 ? `<a rel="prev" href="${connectedAppsPath}?start=${Math.max(0, start - appsPerPage)}">${escapeHtml(ui.t.previousPage)}</a>` : "",
    start + apps.length < totalCount ? `<a rel="next" href="${connectedAppsPath}?start=${start + appsPerPage}">${escapeHtml(ui.t.nextPage)}</a>` : "",
  ].filter(Boolean);
  const range = apps.length > 0 ? ui.t.pageRange(start + 1, start + apps.length, totalCount) : ui.t.totalOnly(totalCount);
  return `<p class="paging"><small>${escapeHtml(range)}</small> ${links.join(" · ")}</p>`;
}

export function connectedAppsPage(
  ui: Ui,
  options: {
    username: string;
    shown: ConnectedAppsPage;
    csrfToken: string;
    notice?: string;
    status?: 200 | 404;
  },
): Response {
  const { username, shown, csrfToken, notice } = options;
  const { t } = ui;
  const items = shown.apps.map((app) => appItem(ui, app, csrfToken, shown.start)).join("\n");
  return page(
    ui,
    options.status ?? 200,
    t.connectedAppsTitle,
    `<h1>${escapeHtml(t.connectedAppsHeading)}</h1>
<p>${t.signedInAsWithSignOut(escapeHtml(username), markup(`<a href="/logout">${escapeHtml(t.signOut)}</a>`))}</p>
${notice ? `<p role="status" id="notice">${escapeHtml(notice)}</p>` : ""}
<p>${escapeHtml(t.connectedAppsIntro)}</p>
${shown.apps.length > 0 ? `<ul id="connected-apps">${items}</ul>` : `<p id="no-apps">${escapeHtml(t.noConnectedApps)}</p>`}
${pagingLinks(ui, shown)}`,
  );
}
