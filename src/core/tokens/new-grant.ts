import { timeOrderedId } from "../../crypto/secrets.js";
import type { GrantContent, GrantRecord } from "../../domain/records.js";

/** A fresh, unrevoked grant: what one authorization (or one client_credentials/password request) creates. */
export function newGrant(serviceId: number, clientId: number, subject: string | null, content: GrantContent, now: number): GrantRecord {
  return { grantId: timeOrderedId(now), serviceId, clientId, subject, ...content, createdAt: now, consentedAt: now, revokedAt: null };
}
