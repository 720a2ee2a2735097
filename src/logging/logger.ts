import { type DestinationStream, type Logger, type LevelWithSilent, pino } from "pino";
import { activeTraceFields } from "./tracing.js";

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

/**
 * The process logger: JSON lines on stdout (or `destination`), secrets replaced by `[redacted]`.
 * A line written while an OpenTelemetry span is active carries its `trace_id` and `span_id`.
 */
export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "tessera" },
      // Called only for lines that are written, so a disabled level costs nothing.
      mixin: activeTraceFields,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ sync: true }),
  );
}
