import { Pointer } from "rfc6902";
import { MAX_PATCH_NESTING } from "./patch-limits.js";
import { patchInvalid } from "./patch-operation.js";

/**
 * What a JSON Patch pointer may reach in the discovery document, checked before rfc6902 follows it:
 * - RFC 6901 §3-4: `""` or `/`-separated tokens whose only escapes are `~0` and `~1`; at most
 *   MAX_PATCH_NESTING tokens, so copies into deep paths cannot nest the document without bound;
 * - no token names a member every object inherits (`__proto__`, `constructor`, `toString`, …) or
 *   `prototype`: following one would reach a shared prototype instead of the document, which is
 *   how JSON Patch libraries have been used for prototype pollution;
 * - RFC 6901 §4: in an array a token is a decimal index without leading zeros, or `-` (one past the
 *   end) where a value is added; the value referenced exists where it is read, replaced or removed,
 *   and the parent exists where a value is added (RFC 6902 §4.1).
 */

const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;
const inheritedNames: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

/** `existing`: the pointer must reference a value; `target`: a value will be added there. */
export type PointerUse = "existing" | "target";

export function checkPatchPointer(document: unknown, pointer: string, use: PointerUse, label: string): void {
  if (!POINTER.test(pointer)) throw patchInvalid(`${label} "${pointer}" is not a JSON Pointer (RFC 6901)`);
  const parsed = Pointer.fromJSON(pointer);
  if (parsed.tokens.length - 1 > MAX_PATCH_NESTING) throw patchInvalid(`${label} "${pointer}" has more than ${MAX_PATCH_NESTING} tokens`);
  const inherited = parsed.tokens.find((token) => inheritedNames.has(token));
  if (inherited !== undefined) throw patchInvalid(`${label} "${pointer}" names a member that JSON Patch may not touch (${inherited})`);
  if (parsed.tokens.length === 1) return;
  const { parent, key } = parsed.evaluate(document) as { parent: unknown; key: string };
  const missing = patchInvalid(`${label} "${pointer}" does not exist`);
  if (parent === null || typeof parent !== "object") throw missing;
  if (Array.isArray(parent)) {
    if (use === "target" && key === "-") return;
    if (!ARRAY_INDEX.test(key)) throw patchInvalid(`${label} "${pointer}" is not an array index`);
    if (Number(key) > parent.length || (use === "existing" && Number(key) === parent.length)) throw missing;
  } else if (use === "existing" && !Object.hasOwn(parent, key)) {
    throw missing;
  }
}
