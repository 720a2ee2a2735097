/**
 * The pages of the device flow's verification URI (RFC 8628 §3.3): the user types the code the
 * device shows (prefilled from `verification_uri_complete`), signs in, sees what the device asks
 * for and allows or denies it. Built like the login pages: escaped values, the session's CSRF token
 * in every form, nothing framed.
 */
import type { Schema } from "../../sdk/index.js";
import { connectedAppsLink, escapeHtml, page } from "./pages.js";

type Verified = Schema<"DeviceVerificationResponse">;

export function deviceCodePage(options: { csrfToken: string; userCode?: string; error?: string }): Response {
  const { csrfToken, userCode, error } = options;
  return page(
    error ? 400 : 200,
    "Connect a device",
    `<h1>Connect a device</h1>
<p>Enter the code your device shows.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/device">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <label for="user_code">Code</label><input id="user_code" name="user_code" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" value="${escapeHtml(userCode ?? "")}" required autofocus>
  <button class="primary" type="submit">Continue</button>
</form>`,
  );
}

export function deviceLoginPage(options: { request: Verified; csrfToken: string; error?: string }): Response {
  const { request, csrfToken, error } = options;
  const name = request.clientName ?? request.clientIdAlias ?? "A device";
  return page(
    error ? 401 : 200,
    "Sign in",
    `<h1>${escapeHtml(name)}</h1>
<p>Sign in to connect ${escapeHtml(name)}.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/device/login">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required autofocus>
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
  <button class="primary" type="submit">Sign in</button>
</form>`,
  );
}

export function deviceConsentPage(options: { request: Verified; csrfToken: string; username: string }): Response {
  const { request, csrfToken, username } = options;
  const name = request.clientName ?? request.clientIdAlias ?? "A device";
  const items = (request.scopes ?? [])
    .map((scope) => `<li><strong>${escapeHtml(scope.name)}</strong>${scope.description ? ` — ${escapeHtml(scope.description)}` : ""}</li>`)
    .join("");
  return page(
    200,
    "Allow access?",
    `<h1>${escapeHtml(name)}</h1>
<p>${escapeHtml(name)} wants to access your account <strong>${escapeHtml(username)}</strong>:</p>
<ul>${items || "<li>Basic access</li>"}</ul>
<p><small>Only allow this if you started it on your own device just now.</small></p>
<form method="post" action="/device/consent">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <button class="primary" type="submit" name="decision" value="allow">Allow</button>
  <button type="submit" name="decision" value="deny">Deny</button>
</form>${connectedAppsLink()}`,
  );
}

export function deviceDonePage(allowed: boolean): Response {
  return page(
    200,
    allowed ? "Device connected" : "Access denied",
    allowed
      ? `<h1 id="device-done">Device connected</h1><p>You can return to your device.</p>`
      : `<h1 id="device-denied">Access denied</h1><p>The device was not given access. You can close this page.</p>`,
  );
}
