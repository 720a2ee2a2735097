/**
 * What a page needs to know about the request it answers: its language, the service's theme, and
 * the request id that ties an error page to its log line. Built once per page from the request
 * (`uiFor`), so page functions stay plain functions of their arguments.
 */
import type { LoginContext, LoginServerContext } from "./context.js";
import { chooseLocale, type Locale, translations } from "./i18n/index.js";
import { chosenLocale, returnTarget } from "./language.js";
import type { Messages } from "./i18n/messages.js";
import type { LoginTheme } from "./theme.js";

export interface Ui {
  locale: Locale;
  t: Messages;
  theme: LoginTheme;
  requestId: string;
  /** The page to come back to from a language link; absent when the browser cannot load it again (a form's answer). */
  returnTo?: string;
}

/**
 * `uiLocales`: the authorization request's, when the page belongs to one (see i18n/index.ts). A
 * language the user chose on a page (language.ts) comes first.
 */
export function uiFor(c: LoginContext, ctx: LoginServerContext, uiLocales?: readonly string[] | string | null): Ui {
  const locale = chosenLocale(c) ?? chooseLocale(uiLocales, c.req.header("accept-language"));
  const returnTo = returnTarget(c);
  return { locale, t: translations[locale], theme: ctx.theme, requestId: c.get("requestId") ?? "", ...(returnTo === undefined ? {} : { returnTo }) };
}

/**
 * The operator's side of an error page: what Tessera said (result code and message, or the HTTP
 * status of a refused call) as one JSON line on stderr, under the id the user's page shows.
 */
export function logFailure(ui: Pick<Ui, "requestId">, event: string, details: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level: "error", source: "login-server", requestId: ui.requestId, event, ...details }));
}

/** The id of a request: a proxy's `X-Request-Id` when it is a plain token, else a fresh one. */
export function requestIdOf(header: string | undefined, fresh: () => string): string {
  return header && /^[A-Za-z0-9._:-]{8,64}$/.test(header) ? header : fresh();
}
