/**
 * Every text the login server's pages show, one module per language (en.ts, ja.ts) typed by this
 * interface: a key missing from a language, or one no page uses any more, fails the typecheck.
 *
 * Plain `string` entries are text and are escaped where they are shown. Entries that need markup
 * (a user name in bold, a list of codes) are functions taking and returning `Html`: their
 * arguments are escaped by the caller (only `escapeHtml` and `markup` make `Html`), so a
 * translation can place them freely in its own word order without escaping anything itself.
 */
declare const htmlBrand: unique symbol;
export type Html = string & { readonly [htmlBrand]: true };

/** Trusted markup written in this repository (a translation's own tags), never request data. */
export function markup(text: string): Html {
  return text as Html;
}

/** The pages shown when something cannot be sent back to the application. */
export type ErrorKind =
  | "invalidRequest"
  | "clientRefused"
  | "requestExpired"
  | "requestNotFound"
  | "invalidForm"
  | "notSignedIn"
  | "invalidLogout"
  | "notFound"
  | "serverError";

export interface Messages {
  /** The language's own name, on the language links of every page. */
  languageName: string;
  /** The label of those links, for screen readers. */
  languages: string;
  username: string;
  password: string;
  signIn: string;
  cancel: string;
  allow: string;
  deny: string;
  continue: string;
  signOut: string;
  privacyPolicy: string;
  termsOfService: string;
  connectedAppsLink: string;
  wrongPassword: string;
  differentAccount: string;

  /** Authorization: login and consent. */
  anApplication: string;
  theApplication: string;
  signInTitle: string;
  signInToContinue: (app: Html) => Html;
  consentTitle: string;
  wantsAccess: (app: Html, username: Html) => Html;
  basicAccess: string;
  detailsShared: (claims: Html) => Html;
  alreadyHolds: (held: Html) => Html;
  nothingYet: string;
  grantMerged: string;
  grantReplaced: string;

  /** Logout. */
  signOutTitle: string;
  signedInAs: (username: Html) => Html;
  signedOutTitle: string;
  signedOutHeading: string;
  closeWindow: string;

  /** The demo's redirect URI. */
  callbackReceived: string;
  callbackFailed: string;
  callbackHint: Html;

  /** Apps connected to the account. */
  accountSignInIntro: string;
  connectedAppsTitle: string;
  connectedAppsHeading: string;
  signedInAsWithSignOut: (username: Html, signOutLink: Html) => Html;
  connectedAppsIntro: string;
  noConnectedApps: string;
  publicClient: string;
  confidentialClient: string;
  disconnect: string;
  previousPage: string;
  nextPage: string;
  pageRange: (first: number, last: number, total: number) => string;
  totalOnly: (total: number) => string;
  applicationNumber: (clientId: string) => string;
  appDisconnected: (app: string) => string;
  appNotConnected: (app: string) => string;
  noSuchApp: string;

  /** CIBA: the authentication device. */
  cibaSignInTitle: string;
  cibaSignInHeading: string;
  cibaSignInIntro: string;
  cibaRequestsTitle: string;
  cibaAsks: (app: Html, scopes: Html) => Html;
  cibaCheckBinding: (message: Html) => Html;
  cibaNoRequests: string;
  approve: string;
  cibaApproved: (app: string) => string;
  cibaDenied: (app: string) => string;
  cibaApprovedNotified: (app: string) => string;
  cibaDeniedNotified: (app: string) => string;
  cibaNotNotified: (app: string) => string;
  cibaAlreadyDecided: string;

  /** The device flow's verification page. */
  aDevice: string;
  deviceTitle: string;
  deviceEnterCode: string;
  deviceCodeLabel: string;
  deviceSignInTo: (device: Html) => Html;
  deviceOnlyIfYou: string;
  deviceConnectedTitle: string;
  deviceConnectedText: string;
  deviceDeniedTitle: string;
  deviceDeniedText: string;
  deviceCodeMissing: string;
  deviceTooManyAttempts: string;
  deviceCodeExpired: string;
  deviceCodeInvalid: string;
  deviceCodeUsed: string;

  /** Error pages: a heading and what the user can do; never what went wrong inside. */
  errors: Record<ErrorKind, { title: string; text: string }>;
  /** The request id under the error text, so support can find the log line. */
  errorReference: (requestId: Html) => Html;
}
