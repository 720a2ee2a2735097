import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { type DecisionInput, decide } from "../pending/decision.js";
import { resultBody } from "../result-codes.js";
import type { DeviceDecision, DevicePayload } from "./device-request.js";
import { lookUpUserCode } from "./verify-user-code.js";

/** What the login server sends to `/device/complete` (Authlete's `device_complete_request`). */
export interface DeviceCompleteInput extends Partial<DecisionInput> {
  userCode: string;
  result: "AUTHORIZED" | "ACCESS_DENIED" | "TRANSACTION_FAILED";
  /** For a refusal: the token endpoint's `error_description` and `error_uri` (RFC 6749 §5.2). */
  errorDescription?: string | null;
  errorUri?: string | null;
}

export interface DeviceCompleteOutcome {
  resultCode: string;
  resultMessage: string;
  action: "SUCCESS" | "INVALID_REQUEST" | "USER_CODE_EXPIRED" | "USER_CODE_NOT_EXIST";
}

const notExist = (): DeviceCompleteOutcome => ({ ...resultBody("deviceCompleteUserCodeUnknown"), action: "USER_CODE_NOT_EXIST" });
const expired = (): DeviceCompleteOutcome => ({ ...resultBody("deviceCompleteUserCodeExpired"), action: "USER_CODE_EXPIRED" });
const invalid = (error: CallerError): DeviceCompleteOutcome => ({ ...resultBody(error.resultName, ...error.args), action: "INVALID_REQUEST" });

/** RFC 6749 §5.2: `error_uri` is a URI; an absolute http(s) one, since the client may show it to a person. */
function checkErrorUri(value: string | null | undefined): void {
  if (!value) return;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new CallerError("deviceCompleteInvalid", "errorUri must be an absolute http or https URI");
  }
}

/**
 * `/device/complete` (RFC 8628 §3.3, the end of the user interaction): records the user's decision on
 * the request behind a user code, once. AUTHORIZED needs `subject` and is checked as
 * /auth/authorization/issue checks its input (`decide`: subject, authTime, JSON members, scopes that may
 * narrow but not add openid, consented claims); ACCESS_DENIED and TRANSACTION_FAILED keep the optional
 * `errorDescription` / `errorUri` for the token endpoint's error. A mistake in the call is INVALID_REQUEST
 * and leaves the code pending; an unknown code, or one decided before, is USER_CODE_NOT_EXIST; an expired
 * one USER_CODE_EXPIRED. The user-code guessing limit applies as at /device/verification.
 */
export async function completeDeviceAuthorization(deps: CoreDeps, service: Service, input: DeviceCompleteInput): Promise<DeviceCompleteOutcome> {
  if (input.result === "AUTHORIZED" && !input.subject) return { ...resultBody("deviceCompleteSubjectMissing"), action: "INVALID_REQUEST" };
  try {
    checkErrorUri(input.errorUri);
  } catch (error) {
    if (error instanceof CallerError) return invalid(error);
    throw error;
  }
  const record = await lookUpUserCode(deps, service, input.userCode);
  if (record === null || record.status !== "PENDING") return notExist();
  const now = deps.now();
  if (record.expiresAt <= now) return expired();
  const client = await deps.store.getClient(service.serviceId, record.clientId);
  if (client === null) return notExist();
  const payload = record.payload as DevicePayload;

  let decided: DeviceDecision;
  if (input.result === "AUTHORIZED") {
    try {
      decided = { result: "AUTHORIZED", decision: decide(service, client, payload.request, { ...input, subject: input.subject! }, now) };
    } catch (error) {
      if (error instanceof CallerError) return invalid(error);
      throw error;
    }
  } else {
    decided = { result: input.result, errorDescription: input.errorDescription || null, errorUri: input.errorUri || null };
  }

  const status = decided.result === "AUTHORIZED" ? "AUTHORIZED" : "DENIED";
  const next: DevicePayload = { ...payload, decided };
  if (await deps.store.decidePendingAuthorization(service.serviceId, "DEVICE", record.completionKeyHash, status, next, now)) {
    return { ...resultBody("deviceCompleted", input.result), action: "SUCCESS" };
  }
  // Another call decided first, or the code expired in between.
  return record.expiresAt <= deps.now() ? expired() : notExist();
}
