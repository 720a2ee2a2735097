import { z } from "zod";

/** How service and client ids appear in paths and parameters: a positive integer of at most 16 digits. */
export const numericIdPattern = /^[1-9][0-9]{0,15}$/;

export const Pair = z.object({ key: z.string().max(200), value: z.string().max(4000) });
export type Pair = z.infer<typeof Pair>;

export const TaggedValue = z.object({ tag: z.string().max(64), value: z.string().max(4000) });
export type TaggedValue = z.infer<typeof TaggedValue>;

/** `{key, value, hidden}`: extra data stored with a code or token; visible ones are added to the token response. */
export const Property = z.object({ key: z.string().min(1).max(200), value: z.string().max(65_535), hidden: z.boolean().optional() });
export type Property = z.infer<typeof Property>;

export const Scope = z.object({
  name: z.string().min(1).max(200).regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "a scope name is printable ASCII without space, quote or backslash (RFC 6749 §3.3)"),
  defaultEntry: z.boolean().default(false),
  description: z.string().max(1000).nullish(),
  descriptions: z.array(TaggedValue).nullish(),
  attributes: z.array(Pair).nullish(),
});
export type Scope = z.infer<typeof Scope>;

/**
 * The longest lifetime, in seconds, of anything Tessera issues or any duration it is given: ten
 * years. Every duration field is bounded by it, so `now + duration` stays far inside the safe
 * integer range in milliseconds and inside both dialects' BIGINT columns.
 */
export const MAX_DURATION_SECONDS = 10 * 365 * 86400;

/** A lifetime for one request (`/auth/token`, `/auth/token/issue`, `/auth/authorization/issue`): used when > 0, otherwise the configured one applies. */
export const RequestDuration = z.number().int().max(MAX_DURATION_SECONDS);

/** A configured lifetime that may be left unset. */
export const OptionalDuration = z.number().int().min(0).max(MAX_DURATION_SECONDS).nullish();

/** Absolute URL string, any scheme; finer rules (https, loopback) live where the field is checked. */
export const UrlString = z.string().max(2000).refine((v) => URL.canParse(v), "must be an absolute URL");
