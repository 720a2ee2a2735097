/**
 * The service-level look of every page: the service's name and logo in the page header and three
 * colours. A client's own branding (its name and logo in the card, its `brandColor` for the
 * buttons) still wins on the pages that are about that client: login and consent.
 *
 * Settings (main.ts), each optional; the variables override the file:
 *   LOGIN_THEME_FILE=theme.json             {"name": …, "logoUrl": …, "primaryColor": …, "backgroundColor": …, "textColor": …}
 *   LOGIN_THEME_NAME=Example Corp
 *   LOGIN_THEME_LOGO_URL=https://example.com/logo.svg
 *   LOGIN_THEME_PRIMARY_COLOR=#0b5cad        buttons, links and the card's top border
 *   LOGIN_THEME_BACKGROUND_COLOR=#f4f5f7     behind the card
 *   LOGIN_THEME_TEXT_COLOR=#1d1d1f
 * A bad value stops the server at start-up rather than rendering a broken page for every user.
 */
import { readFileSync } from "node:fs";

export interface LoginTheme {
  /** The service's name, in the page header and every window title. */
  name: string;
  /** An http(s) or base64 `data:image/…` URL; the pages' CSP allows images and nothing else. */
  logoUrl: string | null;
  primaryColor: string;
  backgroundColor: string;
  textColor: string;
}

export const defaultTheme: LoginTheme = {
  name: "Tessera",
  logoUrl: null,
  primaryColor: "#3b5bdb",
  backgroundColor: "#f4f5f7",
  textColor: "#1d1d1f",
};

export type ThemeSettings = Partial<LoginTheme>;

const colourPattern = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** A colour goes into a style sheet: only `#rgb` / `#rrggbb` can never close the rule it sits in. */
export function isColour(value: unknown): value is string {
  return typeof value === "string" && colourPattern.test(value);
}

/** A theme's logo may also be inline (`data:image/…;base64,…`), so a theme file can carry it without another server. */
export function isThemeLogo(value: unknown): value is string {
  return isImageUrl(value) || (typeof value === "string" && /^data:image\/(?:png|gif|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/.test(value));
}

export function isImageUrl(value: unknown): value is string {
  if (typeof value !== "string" || !/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** The defaults with `settings` laid over them; throws naming the first bad setting. */
export function resolveTheme(settings: ThemeSettings = {}): LoginTheme {
  const theme: LoginTheme = {
    name: settings.name ?? defaultTheme.name,
    logoUrl: settings.logoUrl ?? defaultTheme.logoUrl,
    primaryColor: settings.primaryColor ?? defaultTheme.primaryColor,
    backgroundColor: settings.backgroundColor ?? defaultTheme.backgroundColor,
    textColor: settings.textColor ?? defaultTheme.textColor,
  };
  if (typeof theme.name !== "string" || theme.name.trim() === "" || theme.name.length > 100) throw new Error("theme name must be 1 to 100 characters");
  if (theme.logoUrl !== null && !isThemeLogo(theme.logoUrl)) throw new Error(`theme logoUrl must be an http(s) URL or a base64 data:image URL: ${String(theme.logoUrl).slice(0, 100)}`);
  for (const key of ["primaryColor", "backgroundColor", "textColor"] as const) {
    if (!isColour(theme[key])) throw new Error(`theme ${key} must be #rgb or #rrggbb: ${String(theme[key])}`);
  }
  return theme;
}

const themeKeys = ["name", "logoUrl", "primaryColor", "backgroundColor", "textColor"] as const;

/** The theme from LOGIN_THEME_FILE and the LOGIN_THEME_* variables (see above). */
export function themeFromEnvironment(env: NodeJS.ProcessEnv = process.env): LoginTheme {
  const fromFile: ThemeSettings = {};
  if (env.LOGIN_THEME_FILE) {
    const parsed: unknown = JSON.parse(readFileSync(env.LOGIN_THEME_FILE, "utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${env.LOGIN_THEME_FILE}: a theme file holds one JSON object`);
    for (const [key, value] of Object.entries(parsed)) {
      if (!(themeKeys as readonly string[]).includes(key)) throw new Error(`${env.LOGIN_THEME_FILE}: unknown theme setting "${key}" (known: ${themeKeys.join(", ")})`);
      if (typeof value !== "string" && value !== null) throw new Error(`${env.LOGIN_THEME_FILE}: "${key}" must be a string`);
      Object.assign(fromFile, { [key]: value });
    }
  }
  return resolveTheme({
    name: env.LOGIN_THEME_NAME || fromFile.name,
    logoUrl: env.LOGIN_THEME_LOGO_URL || fromFile.logoUrl,
    primaryColor: env.LOGIN_THEME_PRIMARY_COLOR || fromFile.primaryColor,
    backgroundColor: env.LOGIN_THEME_BACKGROUND_COLOR || fromFile.backgroundColor,
    textColor: env.LOGIN_THEME_TEXT_COLOR || fromFile.textColor,
  });
}
