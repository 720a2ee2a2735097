import { z } from "zod";
import { describeSettingProblems } from "../../services/describe-setting-problems.js";

/** The longest caller `context` a ticket keeps, from /auth/authorization and from ticket/update alike. */
export const TicketContext = z.string().max(65_535);

/** Authlete's `AuthorizationTicketInfo`: what ticket/update writes and ticket/info reads. */
const TicketInfo = z.strictObject({ context: TicketContext.nullish() });

/**
 * The `info` of a ticket/update call as the context it sets (null clears it), or why it cannot be
 * one. Authlete's spec and TypeScript SDK send `info` as text (the JSON of the object), its Java
 * library as the object itself; both are read.
 */
export function readTicketInfo(info: unknown): { context: string | null } | { problem: string } {
  let value = info;
  if (typeof info === "string") {
    try {
      value = JSON.parse(info);
    } catch {
      return { problem: "it is text that is not JSON" };
    }
  }
  const parsed = TicketInfo.safeParse(value);
  if (!parsed.success) return { problem: describeSettingProblems(parsed.error) };
  return { context: parsed.data.context ?? null };
}
