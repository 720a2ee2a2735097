import { CallerError } from "../caller-error.js";
import { MAX_PATCH_NESTING } from "./patch-limits.js";

/** One RFC 6902 operation, its members checked (§4): every op has a `path`, move and copy a `from`, add, replace and test a `value`. */
export type PatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

const opNames: ReadonlySet<unknown> = new Set(["add", "remove", "replace", "move", "copy", "test"]);

export function patchInvalid(reason: string): CallerError {
  return new CallerError("configurationPatchInvalid", reason);
}

/** `operation 3 (copy)`: how messages name an operation, so the caller finds it in a long patch. */
export function operationLabel(index: number, operation: PatchOperation): string {
  return `operation ${index} (${operation.op})`;
}

/** Whether arrays and objects nest deeper than MAX_PATCH_NESTING levels in `value`; without recursion, which such a value would overflow. */
function nestedTooDeep(value: unknown): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== "object") continue;
    if (next.depth === MAX_PATCH_NESTING) return true;
    for (const member of Object.values(next.value)) pending.push({ value: member, depth: next.depth + 1 });
  }
  return false;
}

/** The operation at `index` of a parsed patch, or a `configurationPatchInvalid` naming what is wrong with it. */
export function readOperation(raw: unknown, index: number): PatchOperation {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw patchInvalid(`operation ${index} is not an object`);
  const fields = raw as Record<string, unknown>;
  const op = fields.op;
  if (!opNames.has(op)) throw patchInvalid(`operation ${index}: op must be one of add, remove, replace, move, copy, test`);
  const at = `operation ${index} (${String(op)})`;
  const path = fields.path;
  if (typeof path !== "string") throw patchInvalid(`${at}: path must be a JSON Pointer string`);
  switch (op) {
    case "remove":
      return { op, path };
    case "move":
    case "copy": {
      const from = fields.from;
      if (typeof from !== "string") throw patchInvalid(`${at}: from must be a JSON Pointer string`);
      return { op, from, path };
    }
    default:
      // JSON.parse never yields undefined, so a missing member is the only way to get it.
      if (!Object.hasOwn(fields, "value")) throw patchInvalid(`${at}: value is missing`);
      if (nestedTooDeep(fields.value)) throw patchInvalid(`${at}: value nests arrays and objects deeper than ${MAX_PATCH_NESTING} levels`);
      return { op: op as "add" | "replace" | "test", path, value: fields.value };
  }
}
