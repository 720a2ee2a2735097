import { randomUUID } from "node:crypto";
import { randomToken, sha256 } from "../crypto/secrets.js";
import type { ApiTokenStore } from "../storage/ports.js";

export type AdminTokenBootstrap =
  /** TESSERA_ADMIN_TOKEN is set; its hash is stored (now or on an earlier start). */
  | { outcome: "configured"; created: boolean }
  /** No setting, but an organization token exists from an earlier start. */
  | { outcome: "existing" }
  /** First start without a setting: a token was generated; `token` must be shown once and then forgotten. */
  | { outcome: "generated"; token: string };

/**
 * Makes sure an organization (admin) token can call the API. Only the SHA-256 of the token is
 * stored; a generated token exists in plaintext only in the returned value, for the one banner.
 */
export async function bootstrapAdminToken(
  store: ApiTokenStore,
  adminToken: string | undefined,
  now: number,
): Promise<AdminTokenBootstrap> {
  if (adminToken) {
    const tokenHash = sha256(adminToken);
    if (await store.findApiTokenByHash(tokenHash)) return { outcome: "configured", created: false };
    await store.createApiToken({
      id: randomUUID(),
      serviceId: null,
      tokenHash,
      permissions: [],
      description: "TESSERA_ADMIN_TOKEN",
      createdAt: now,
    });
    return { outcome: "configured", created: true };
  }
  if (await store.hasAdminToken()) return { outcome: "existing" };
  const token = randomToken();
  await store.createApiToken({
    id: randomUUID(),
    serviceId: null,
    tokenHash: sha256(token),
    permissions: [],
    description: "generated on first start",
    createdAt: now,
  });
  return { outcome: "generated", token };
}

/** The one-time banner carrying a generated admin token. */
export function adminTokenBanner(token: string): string {
  const rule = "=".repeat(78);
  return [
    rule,
    "  Tessera generated an organization (admin) API token. It is shown ONLY NOW:",
    "",
    `    ${token}`,
    "",
    "  Only its hash is stored. Keep it in a password manager, or set TESSERA_ADMIN_TOKEN",
    "  to a token of your choice. Use it as:  Authorization: Bearer <token>",
    rule,
    "",
  ].join("\n");
}
