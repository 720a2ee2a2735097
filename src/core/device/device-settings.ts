import type { Service } from "../../domain/service.js";

/** RFC 8628 §3.2 `expires_in` when the service sets none: ten minutes to walk to another device and sign in. */
export const defaultDeviceCodeSeconds = 600;

/** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
export const defaultPollingIntervalSeconds = 5;

/** The service's `deviceFlowCodeDuration`, or the default for 0. */
export function deviceCodeSeconds(service: Pick<Service, "deviceFlowCodeDuration">): number {
  return service.deviceFlowCodeDuration && service.deviceFlowCodeDuration > 0 ? service.deviceFlowCodeDuration : defaultDeviceCodeSeconds;
}

/** The service's `deviceFlowPollingInterval`, or the RFC's default for 0. */
export function pollingIntervalSeconds(service: Pick<Service, "deviceFlowPollingInterval">): number {
  return service.deviceFlowPollingInterval && service.deviceFlowPollingInterval > 0 ? service.deviceFlowPollingInterval : defaultPollingIntervalSeconds;
}

/**
 * RFC 8628 §3.3.1 `verification_uri_complete`: the service's `deviceVerificationUriComplete` with
 * every `USER_CODE` replaced by the code (Authlete's placeholder); null when the service has none.
 */
export function verificationUriComplete(service: Pick<Service, "deviceVerificationUriComplete">, userCode: string): string | null {
  const template = service.deviceVerificationUriComplete;
  return template ? template.replaceAll("USER_CODE", encodeURIComponent(userCode)) : null;
}
