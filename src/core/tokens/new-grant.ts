import { timeOrderedId } from "../../crypto/secrets.js";
import type { GrantRecord } from "../../domain/records.js";

/** A fresh, unrevoked grant: what one authorization (or one client_credentials/password request) creates. */
export function newGrant(serviceId: number, clientId: number, subject: string | null, now: number): GrantRecord {
  return { grantId: timeOrderedId(now), serviceId, clientId, subject, createdAt: now, revokedAt: null };
}
