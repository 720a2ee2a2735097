import { type DestinationStream, type Logger, type LevelWithSilent, pino } from "pino";

/**
 * Fields that carry secrets, wherever they appear in a logged object (top level or one level down,
 * e.g. `req.headers.authorization` or `body.client_secret`). Runtime `parameters` are redacted whole
 * because they are raw protocol requests (codes, verifiers, passwords, assertions).
 */
const secretFields = [
  "authorization",
  "clientSecret",
  "client_secret",
  "client_assertion",
  "clientAssertion",
  "code_verifier",
  "password",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "adminToken",
  "masterKey",
  "parameters",
  "privateKey",
  "privateJwk",
];

export const redactedPaths: string[] = [
  ...secretFields,
  ...secretFields.map((field) => `*.${field}`),
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.cookie",
];

/** The process logger: JSON lines on stdout (or `destination`), secrets replaced by `[redacted]`. */
export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "tessera" },
      redact: { paths: redactedPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ sync: true }),
  );
}
