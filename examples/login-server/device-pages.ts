/**
 * The pages of the device flow's verification URI (RFC 8628 §3.3): the user types the code the
 * device shows (prefilled from `verification_uri_complete`), signs in, sees what the device asks
 * for and allows or denies it. Built like the login pages: escaped values, the session's CSRF token
 * in every form, nothing framed, the browser's language (the device's request has no `ui_locales`
 * the user's browser could see).
 */
import type { Schema } from "../../sdk/index.js";
import { connectedAppsLink, credentialFields, errorLine, escapeHtml, page, scopeItems } from "./pages.js";
import type { Ui } from "./ui.js";

type Verified = Schema<"DeviceVerificationResponse">;

export function deviceCodePage(ui: Ui, options: { csrfToken: string; userCode?: string; error?: string }): Response {
  const { csrfToken, userCode, error } = options;
  const { t } = ui;
  return page(
    ui,
    error ? 400 : 200,
    t.deviceTitle,
    `<h1>${escapeHtml(t.deviceTitle)}</h1>
<p>${escapeHtml(t.deviceEnterCode)}</p>
${errorLine(error)}
<form method="post" action="/device">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <label for="user_code">${escapeHtml(t.deviceCodeLabel)}</label><input id="user_code" name="user_code" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" value="${escapeHtml(userCode ?? "")}" required autofocus>
  <button class="primary" type="submit">${escapeHtml(t.continue)}</button>
</form>`,
  );
}

function deviceName(ui: Ui, request: Verified): string {
  return request.clientName ?? request.clientIdAlias ?? ui.t.aDevice;
}

export function deviceLoginPage(ui: Ui, options: { request: Verified; csrfToken: string; error?: string }): Response {
  const { request, csrfToken, error } = options;
  const { t } = ui;
  const name = deviceName(ui, request);
  return page(
    ui,
    error ? 401 : 200,
    t.signInTitle,
    `<h1>${escapeHtml(name)}</h1>
<p>${t.deviceSignInTo(escapeHtml(name))}</p>
${errorLine(error)}
<form method="post" action="/device/login">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  ${credentialFields(ui)}
  <button class="primary" type="submit">${escapeHtml(t.signIn)}</button>
</form>`,
  );
}

export function deviceConsentPage(ui: Ui, options: { request: Verified; csrfToken: string; username: string }): Response {
  const { request, csrfToken, username } = options;
  const { t } = ui;
  const name = deviceName(ui, request);
  return page(
    ui,
    200,
    t.consentTitle,
    `<h1>${escapeHtml(name)}</h1>
<p>${t.wantsAccess(escapeHtml(name), escapeHtml(username))}</p>
<ul>${scopeItems(ui, request.scopes ?? [])}</ul>
<p><small>${escapeHtml(t.deviceOnlyIfYou)}</small></p>
<form method="post" action="/device/consent">
  <input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
  <button class="primary" type="submit" name="decision" value="allow">${escapeHtml(t.allow)}</button>
  <button type="submit" name="decision" value="deny">${escapeHtml(t.deny)}</button>
</form>${connectedAppsLink(ui)}`,
  );
}

export function deviceDonePage(ui: Ui, allowed: boolean): Response {
  const { t } = ui;
  return page(
    ui,
    200,
    allowed ? t.deviceConnectedTitle : t.deviceDeniedTitle,
    allowed
      ? `<h1 id="device-done">${escapeHtml(t.deviceConnectedTitle)}</h1><p>${escapeHtml(t.deviceConnectedText)}</p>`
      : `<h1 id="device-denied">${escapeHtml(t.deviceDeniedTitle)}</h1><p>${escapeHtml(t.deviceDeniedText)}</p>`,
  );
}
