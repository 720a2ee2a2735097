import { isDeepStrictEqual } from "node:util";
import { applyPatch, Pointer } from "rfc6902";
import { CallerError } from "../caller-error.js";
import { checkPatchPointer } from "./check-patch-pointer.js";
import { MAX_PATCH_LENGTH, MAX_PATCH_OPERATIONS, MAX_PATCHED_DOCUMENT_BYTES } from "./patch-limits.js";
import { operationLabel, type PatchOperation, patchInvalid, readOperation } from "./patch-operation.js";

/**
 * The `patch` of `GET /service/configuration`: an RFC 6902 JSON Patch applied by rfc6902, within
 * the bounds of patch-limits.ts, so that copies of the root (each one doubles the document) cannot
 * exhaust memory or block the event loop:
 * - the parameter's length is checked before it is parsed, then the number of operations;
 * - values and pointers are checked for depth as each operation is read (patch-operation.ts,
 *   check-patch-pointer.ts);
 * - before each operation, the bytes it can add (the serialized value added, copied or replacing,
 *   plus its path) are weighed against what is left of MAX_PATCHED_DOCUMENT_BYTES, so the operation
 *   that would cross the limit is refused before it runs. Removals give nothing back: the total
 *   work of a patch is bounded too, not only its result.
 * The first failing operation aborts the whole patch (RFC 6902 §5).
 */

function serializedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

function parseOperations(patchText: string): unknown[] {
  if (patchText.length > MAX_PATCH_LENGTH) throw new CallerError("configurationPatchTooLong", patchText.length, MAX_PATCH_LENGTH);
  let parsed: unknown;
  try {
    parsed = JSON.parse(patchText);
  } catch (error) {
    throw patchInvalid(error instanceof Error ? error.message : "not JSON");
  }
  if (!Array.isArray(parsed)) throw patchInvalid("a JSON Patch is an array of operations");
  if (parsed.length > MAX_PATCH_OPERATIONS) {
    throw new CallerError("configurationPatchTooManyOperations", parsed.length, MAX_PATCH_OPERATIONS);
  }
  return parsed;
}

/** Checks every pointer of the operation against the document as it is now. */
function checkPointers(document: unknown, operation: PatchOperation, at: string): void {
  if (operation.op !== "test" && operation.path === "") throw patchInvalid(`${at}: the whole document cannot be replaced or removed`);
  const addsAtPath = operation.op === "add" || operation.op === "move" || operation.op === "copy";
  checkPatchPointer(document, operation.path, addsAtPath ? "target" : "existing", `${at}: path`);
  if (operation.op === "move" || operation.op === "copy") {
    checkPatchPointer(document, operation.from, "existing", `${at}: from`);
    // Tokens are escaped, so a "/" in the text always starts a token: a prefix ending at one is an ancestor.
    if (operation.op === "move" && operation.path.startsWith(`${operation.from}/`)) {
      throw patchInvalid(`${at}: "${operation.from}" cannot be moved into one of its own members`);
    }
  }
}

/** An upper bound of the bytes the operation adds to the serialized document. */
function growthOf(document: unknown, operation: PatchOperation): number {
  const member = Buffer.byteLength(operation.path) + 2;
  switch (operation.op) {
    case "add":
    case "replace":
      return member + serializedBytes(operation.value);
    case "copy":
      return member + serializedBytes(Pointer.fromJSON(operation.from).get(document));
    case "move":
      return member;
    default:
      return 0;
  }
}

function applyOperation(document: unknown, operation: PatchOperation, at: string): void {
  if (operation.op === "test") {
    // rfc6902 tests by computing a diff, quadratic in the lengths of the arrays compared; equality needs no diff.
    if (!isDeepStrictEqual(Pointer.fromJSON(operation.path).get(document), operation.value)) {
      throw patchInvalid(`${at}: the value at "${operation.path}" is not the one given`);
    }
    return;
  }
  const [failure] = applyPatch(document, [operation]);
  if (failure) throw patchInvalid(`${at}: ${failure.message}`);
}

/** The configuration document with the patch applied, on a copy; refusals are `CallerError`s. */
export function applyConfigurationPatch(document: Readonly<Record<string, unknown>>, patchText: string): unknown {
  const operations = parseOperations(patchText);
  const patched = structuredClone(document);
  let size = serializedBytes(patched);
  operations.forEach((raw, index) => {
    const operation = readOperation(raw, index);
    const at = operationLabel(index, operation);
    checkPointers(patched, operation, at);
    const grown = size + growthOf(patched, operation);
    if (grown > MAX_PATCHED_DOCUMENT_BYTES) {
      throw new CallerError("configurationPatchTooLarge", index, operation.op, MAX_PATCHED_DOCUMENT_BYTES);
    }
    applyOperation(patched, operation, at);
    size = grown;
  });
  return patched;
}
