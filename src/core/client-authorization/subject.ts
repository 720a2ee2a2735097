import { CallerError } from "../caller-error.js";
import type { ResultCodeName } from "../result-codes.js";

/** Longest subject these calls accept; /auth/authorization/issue takes at most 100 characters, so a longer one can hold nothing. */
const maxSubjectLength = 200;

/**
 * The one subject a client-authorization call names. Authlete lets the caller put it in the path,
 * the query or the body, and its SDK sends the path and the query both: every place that carries
 * a value must carry the same one. Absent, null and "" (what SDKs send for a string left unset) are
 * no value. A subject named nowhere, or too long, fails the call with `missing`; two different ones
 * with `conflicting`, rather than one of them silently winning.
 */
export function oneSubject(
  given: ReadonlyArray<string | null | undefined>,
  codes: { missing: ResultCodeName; conflicting: ResultCodeName },
): string {
  const values = [...new Set(given.filter((value): value is string => typeof value === "string" && value !== ""))];
  if (values.length > 1) throw new CallerError(codes.conflicting, values.map((value) => JSON.stringify(value)).join(", "));
  const subject = values[0];
  if (subject === undefined || subject.length > maxSubjectLength) throw new CallerError(codes.missing);
  return subject;
}
