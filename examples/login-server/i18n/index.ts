/**
 * Which language a page is shown in: the authorization request's `ui_locales` first (OIDC Core
 * §3.1.2.1, as Tessera negotiated them: `uiLocales`), then the browser's `Accept-Language`, then
 * English. Only the primary subtag counts (`ja-JP` is Japanese), since each language has one
 * translation here. Add a language by adding its module to `translations`.
 */
import { en } from "./en.js";
import { ja } from "./ja.js";
import type { Messages } from "./messages.js";

export const translations = { en, ja } satisfies Record<string, Messages>;
export type Locale = keyof typeof translations;
export const defaultLocale: Locale = "en";

function supported(tag: string): Locale | null {
  const primary = tag.trim().split("-")[0]!.toLowerCase();
  return Object.hasOwn(translations, primary) ? (primary as Locale) : null;
}

/** `Accept-Language` (RFC 9110 §12.5.4) as tags, most preferred first; `q=0` means "not this one". */
function acceptedLanguages(header: string): string[] {
  return header
    .split(",")
    .map((entry, index) => {
      const [tag = "", ...params] = entry.split(";");
      const q = params.map((param) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param)?.[1]).find((value) => value !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag !== "" && entry.tag !== "*" && entry.q > 0 && Number.isFinite(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}

/**
 * `uiLocales`: Tessera's `uiLocales` (already a list), or the raw space-separated `ui_locales` of a
 * request Tessera refused (the error page still honours it).
 */
export function chooseLocale(uiLocales: readonly string[] | string | null | undefined, acceptLanguage: string | null | undefined): Locale {
  const requested = typeof uiLocales === "string" ? uiLocales.split(" ") : (uiLocales ?? []);
  for (const tag of [...requested, ...acceptedLanguages(acceptLanguage ?? "")]) {
    const locale = supported(tag);
    if (locale) return locale;
  }
  return defaultLocale;
}
