import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { SenderProofs } from "./sender-proofs.js";

/** The runtime endpoints that check a DPoP proof (RFC 9449 §4.3): each has its own defaults for `htm` and `htu`. */
export type DpopEndpoint = "token" | "pushedAuthorization" | "userInfo" | "introspection" | "grantManagement";

/** The request a proof must have been made for: its method and URL (RFC 9449 §4.3 checks 8 and 9). */
export interface DpopTarget {
  htm: string;
  htu: string;
}

/**
 * What each endpoint falls back to when the login server leaves `htm` or `htu` out, as Authlete
 * documents it: the token and PAR endpoints are POSTed to at the service's `tokenEndpoint` /
 * `pushedAuthReqEndpoint`; the UserInfo endpoint defaults to GET at `userInfoEndpoint` (OIDC Core §5.3.1
 * names GET first); `/auth/introspection` checks a request made to a protected resource, whose method
 * and URL Tessera cannot know, so it has no default for either. `/gm` knows both from the request
 * (`grantManagementTarget`: GET or DELETE at the grant's resource URL) and fills them in before.
 */
const defaults: Record<DpopEndpoint, { htm: string | null; htu: ((service: Service) => string | null | undefined) | null; method: string; url: string }> = {
  token: { htm: "POST", htu: (service) => service.tokenEndpoint, method: "", url: "the service has no tokenEndpoint to default to" },
  pushedAuthorization: { htm: "POST", htu: (service) => service.pushedAuthReqEndpoint, method: "", url: "the service has no pushedAuthReqEndpoint to default to" },
  userInfo: { htm: "GET", htu: (service) => service.userInfoEndpoint, method: "", url: "the service has no userInfoEndpoint to default to" },
  introspection: {
    htm: null,
    htu: null,
    method: "/auth/introspection has no default (send the method of the request to the protected resource)",
    url: "/auth/introspection has no default (send the URL of the protected resource)",
  },
  grantManagement: {
    htm: null,
    htu: null,
    method: "/gm defaults to the method of its gmAction",
    url: "the service has no grantManagementEndpoint to build the grant's URL from (send the URL of the grant)",
  },
};

/**
 * The method and URL a `dpop` proof is checked against: the request's `htm` and `htu`, else the
 * endpoint's defaults. Without either, the login server's call cannot be answered by any OAuth
 * error the client could act on, so it fails as a caller mistake naming what is missing.
 */
export function dpopTarget(service: Service, endpoint: DpopEndpoint, proofs: SenderProofs): DpopTarget {
  const fallback = defaults[endpoint];
  const htm = proofs.htm || fallback.htm;
  if (!htm) throw new CallerError("dpopHtmMissing", fallback.method);
  const htu = proofs.htu || fallback.htu?.(service);
  if (!htu) throw new CallerError("dpopHtuMissing", fallback.url);
  return { htm, htu };
}
