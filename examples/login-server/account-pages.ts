/**
 * The signed-in user's own pages: signing in to them, and "Apps connected to your account" with a
 * Disconnect button per app. Built like the login pages: every value escaped (client names and
 * descriptions are whatever a client's registration says), the session's CSRF token in every form,
 * nothing framed.
 */
import { type ConnectedApp, type ConnectedAppsPage, appsPerPage } from "./connected-apps.js";
import { connectedAppsPath, escapeHtml, page } from "./pages.js";

export const accountLoginPath = "/account/login";
export const disconnectPath = "/account/apps/disconnect";

export function accountLoginPage(options: { csrfToken: string; next: string; error?: string }): Response {
  const { csrfToken, next, error } = options;
  return page(
    error ? 401 : 200,
    "Sign in",
    `<h1>Sign in</h1>
<p>Sign in to see the applications connected to your account.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${accountLoginPath}">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <input type="hidden" name="next" value="${escapeHtml(next)}">
  <label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required autofocus>
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
  <button class="primary" type="submit">Sign in</button>
</form>`,
  );
}

/** What the user sees an app as: its name, else its alias, else its number. */
export function appName(app: Pick<ConnectedApp, "clientId" | "clientName" | "clientIdAlias">): string {
  return app.clientName || app.clientIdAlias || `Application ${app.clientId}`;
}

function appItem(app: ConnectedApp, csrfToken: string, start: number): string {
  const kind = app.clientType === "PUBLIC" ? "public client" : app.clientType === "CONFIDENTIAL" ? "confidential client" : "";
  return `<li class="connected-app" data-client-id="${escapeHtml(app.clientId)}">
  <strong class="app-name">${escapeHtml(appName(app))}</strong>${kind ? ` <small>(${kind})</small>` : ""}
  ${app.description ? `<br><small class="app-description">${escapeHtml(app.description)}</small>` : ""}
  <form method="post" action="${disconnectPath}">
    <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
    <input type="hidden" name="client_id" value="${escapeHtml(app.clientId)}">
    <input type="hidden" name="start" value="${escapeHtml(start)}">
    <button type="submit" name="decision" value="disconnect">Disconnect</button>
  </form>
</li>`;
}

/** "Previous" / "Next" links when the user has more apps than one page holds. */
function pagingLinks(shown: ConnectedAppsPage): string {
  const { start, totalCount, apps } = shown;
  if (totalCount <= appsPerPage && start === 0) return "";
  const links = [
    start > 0 ? `<a rel="prev" href="${connectedAppsPath}?start=${Math.max(0, start - appsPerPage)}">Previous page</a>` : "",
    start + apps.length < totalCount ? `<a rel="next" href="${connectedAppsPath}?start=${start + appsPerPage}">Next page</a>` : "",
  ].filter(Boolean);
  const range = apps.length > 0 ? `${start + 1}–${start + apps.length} of ${totalCount}` : `${totalCount} in all`;
  return `<p class="paging"><small>${range}</small> ${links.join(" · ")}</p>`;
}

export function connectedAppsPage(options: {
  username: string;
  shown: ConnectedAppsPage;
  csrfToken: string;
  notice?: string;
  status?: 200 | 404;
}): Response {
  const { username, shown, csrfToken, notice } = options;
  const items = shown.apps.map((app) => appItem(app, csrfToken, shown.start)).join("\n");
  return page(
    options.status ?? 200,
    "Apps connected to your account",
    `<h1>Connected apps</h1>
<p>Signed in as <strong>${escapeHtml(username)}</strong>. <small><a href="/logout">Sign out</a></small></p>
${notice ? `<p role="status" id="notice">${escapeHtml(notice)}</p>` : ""}
<p>These applications can use your account. Disconnecting one ends its access at once; it has to ask for your permission again to come back.</p>
${shown.apps.length > 0 ? `<ul id="connected-apps">${items}</ul>` : `<p id="no-apps">No application is connected to your account.</p>`}
${pagingLinks(shown)}`,
  );
}
