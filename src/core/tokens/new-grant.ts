import { timeOrderedId } from "../../crypto/secrets.js";
import type { GrantContent, GrantRecord } from "../../domain/records.js";

/**
 * A fresh, unrevoked grant: what one authorization (or one client_credentials/password request) creates;
 * `sessionId` is the login session of a Native SSO authorization.
 */
export function newGrant(serviceId: number, clientId: number, subject: string | null, content: GrantContent, now: number, sessionId: string | null = null): GrantRecord {
  return { grantId: timeOrderedId(now), serviceId, clientId, subject, ...content, createdAt: now, consentedAt: now, revokedAt: null, sessionId };
}
