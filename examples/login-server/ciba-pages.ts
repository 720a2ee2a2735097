/**
 * The authentication-device page of CIBA (CIBA Core §7.2): a signed-in user sees the requests waiting
 * for them, with each client's name, the scopes and the binding message (which the client shows
 * too, so the user can tell the request is the one they started), and approves or denies each.
 * Built like the login pages: escaped values, the session's CSRF token in every form. No
 * authorization request carries `ui_locales` here, so the browser's language decides.
 */
import type { BackchannelRequest } from "./backchannel-requests.js";
import { codes, connectedAppsLink, credentialFields, errorLine, escapeHtml, page } from "./pages.js";
import type { Ui } from "./ui.js";

export function cibaLoginPage(ui: Ui, options: { csrfToken: string; error?: string }): Response {
  const { csrfToken, error } = options;
  const { t } = ui;
  return page(
    ui,
    error ? 401 : 200,
    t.cibaSignInTitle,
    `<h1>${escapeHtml(t.cibaSignInHeading)}</h1>
<p>${escapeHtml(t.cibaSignInIntro)}</p>
${errorLine(error)}
<form method="post" action="/ciba/login">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  ${credentialFields(ui)}
  <button class="primary" type="submit">${escapeHtml(t.signIn)}</button>
</form>`,
  );
}

function requestItem(ui: Ui, request: BackchannelRequest, csrfToken: string): string {
  const { t } = ui;
  return `<li class="ciba-request" data-request="${escapeHtml(request.id)}">
  <p>${t.cibaAsks(escapeHtml(request.clientName), codes(request.scopes))}</p>
  ${request.bindingMessage ? `<p>${t.cibaCheckBinding(escapeHtml(request.bindingMessage))}</p>` : ""}
  <form method="post" action="/ciba/decide">
    <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
    <input type="hidden" name="request" value="${escapeHtml(request.id)}">
    <button class="primary" type="submit" name="decision" value="approve">${escapeHtml(t.approve)}</button>
    <button type="submit" name="decision" value="deny">${escapeHtml(t.deny)}</button>
  </form>
</li>`;
}

export function cibaRequestsPage(ui: Ui, options: { username: string; requests: readonly BackchannelRequest[]; csrfToken: string; notice?: string }): Response {
  const { username, requests, csrfToken, notice } = options;
  const { t } = ui;
  const items = requests.map((request) => requestItem(ui, request, csrfToken)).join("\n");
  return page(
    ui,
    200,
    t.cibaRequestsTitle,
    `<h1>${escapeHtml(t.cibaRequestsTitle)}</h1>
<p>${t.signedInAs(escapeHtml(username))}</p>
${notice ? `<p role="status" id="notice">${escapeHtml(notice)}</p>` : ""}
${requests.length > 0 ? `<ul>${items}</ul>` : `<p id="no-requests">${escapeHtml(t.cibaNoRequests)}</p>`}
${connectedAppsLink(ui)}`,
  );
}
