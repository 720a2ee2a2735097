/**
 * The language the user chose on a page, which wins over `ui_locales` and `Accept-Language`: a
 * link per language on every page the browser can load again (`GET /language?to=ja&return=…`)
 * stores the choice in a cookie and goes back to the page. The cookie holds a language tag only,
 * so it is neither signed nor secret.
 */
import type { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { serialize } from "hono/utils/cookie";
import { type Locale, translations } from "./i18n/index.js";
import type { LoginContext } from "./context.js";
import type { LoginEnv } from "./session.js";

export const languageCookieName = "login_language";
export const languagePath = "/language";
const oneYearSeconds = 365 * 24 * 60 * 60;

function asLocale(value: string | undefined): Locale | null {
  return value !== undefined && Object.hasOwn(translations, value) ? (value as Locale) : null;
}

/** The language this browser chose, if it chose one we have. */
export function chosenLocale(c: LoginContext): Locale | null {
  return asLocale(getCookie(c, languageCookieName));
}

const sameOrigin = "http://login-server.invalid";

/**
 * Where to go back to: a path of this server only, as the browser will read it. Anything that
 * resolves elsewhere (another origin, `//host`, `/\host`, which browsers read as `//host`) goes to
 * `/`, so the link can never send a user to another site.
 */
export function returnPath(value: string | undefined): string {
  if (value === undefined || !value.startsWith("/") || value.length > 4096) return "/";
  const url = URL.parse(value, sameOrigin);
  return url !== null && url.origin === sameOrigin ? `${url.pathname}${url.search}` : "/";
}

/** The page to come back to after choosing a language: the request itself when the browser can load it again (a GET). */
export function returnTarget(c: LoginContext): string | undefined {
  if (c.req.method !== "GET") return undefined;
  const url = new URL(c.req.url);
  return url.pathname === languagePath ? undefined : `${url.pathname}${url.search}`;
}

/** The address of the link that switches to `locale` and comes back to `returnTo`. */
export function languageLink(locale: Locale, returnTo: string): string {
  return `${languagePath}?${new URLSearchParams({ to: locale, return: returnTo })}`;
}

export function registerLanguage(app: Hono<LoginEnv>, secureCookie: boolean): void {
  app.get(languagePath, (c) => {
    const locale = asLocale(c.req.query("to"));
    const headers = new Headers({ Location: returnPath(c.req.query("return")), "Cache-Control": "no-store" });
    if (locale !== null) {
      headers.append(
        "Set-Cookie",
        serialize(languageCookieName, locale, { path: "/", httpOnly: true, sameSite: "Lax", secure: secureCookie, maxAge: oneYearSeconds }),
      );
    }
    return new Response(null, { status: 303, headers });
  });
}
