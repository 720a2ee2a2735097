/**
 * The authentication-device page of CIBA (CIBA Core §7.2): a signed-in user sees the requests waiting
 * for them, with each client's name, the scopes and the binding message (which the client shows
 * too, so the user can tell the request is the one they started), and approves or denies each.
 * Built like the login pages: escaped values, the session's CSRF token in every form.
 */
import type { BackchannelRequest } from "./backchannel-requests.js";
import { connectedAppsLink, escapeHtml, page } from "./pages.js";

export function cibaLoginPage(options: { csrfToken: string; error?: string }): Response {
  const { csrfToken, error } = options;
  return page(
    error ? 401 : 200,
    "Sign in to approve requests",
    `<h1>Approve sign-in requests</h1>
<p>Sign in to see the requests applications sent to you.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/ciba/login">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required autofocus>
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
  <button class="primary" type="submit">Sign in</button>
</form>`,
  );
}

function requestItem(request: BackchannelRequest, csrfToken: string): string {
  const scopes = request.scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(" ");
  return `<li class="ciba-request" data-request="${escapeHtml(request.id)}">
  <p><strong>${escapeHtml(request.clientName)}</strong> asks to sign you in (${scopes}).</p>
  ${request.bindingMessage ? `<p>Check that the application shows: <strong class="binding-message">${escapeHtml(request.bindingMessage)}</strong></p>` : ""}
  <form method="post" action="/ciba/decide">
    <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
    <input type="hidden" name="request" value="${escapeHtml(request.id)}">
    <button class="primary" type="submit" name="decision" value="approve">Approve</button>
    <button type="submit" name="decision" value="deny">Deny</button>
  </form>
</li>`;
}

export function cibaRequestsPage(options: { username: string; requests: readonly BackchannelRequest[]; csrfToken: string; notice?: string }): Response {
  const { username, requests, csrfToken, notice } = options;
  const items = requests.map((request) => requestItem(request, csrfToken)).join("\n");
  return page(
    200,
    "Sign-in requests",
    `<h1>Sign-in requests</h1>
<p>Signed in as <strong>${escapeHtml(username)}</strong>.</p>
${notice ? `<p role="status" id="notice">${escapeHtml(notice)}</p>` : ""}
${requests.length > 0 ? `<ul>${items}</ul>` : `<p id="no-requests">No request is waiting for you.</p>`}
${connectedAppsLink()}`,
  );
}
