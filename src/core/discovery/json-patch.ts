import { isDeepStrictEqual } from "node:util";

/**
 * RFC 6902 JSON Patch over plain JSON values, with RFC 6901 JSON Pointers. Operations apply in
 * order to a copy; the first failing one aborts the whole patch (§5) with `JsonPatchError`.
 */

export class JsonPatchError extends Error {
  override readonly name = "JsonPatchError";
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Container = Json[] | { [key: string]: Json };

function parsePointer(pointer: unknown, at: string): string[] {
  if (typeof pointer !== "string") throw new JsonPatchError(`${at} must be a JSON Pointer string`);
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new JsonPatchError(`${at} "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new JsonPatchError(`${at} "${pointer}" has an invalid escape`);
      return token.replace(/~1/g, "/").replace(/~0/g, "~");
    });
}

function isContainer(value: Json | undefined): value is Container {
  return value !== null && typeof value === "object";
}

function arrayIndex(array: Json[], token: string, pointer: string, forInsert: boolean): number {
  if (forInsert && token === "-") return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`"${pointer}": "${token}" is not an array index`);
  const index = Number(token);
  if (index > array.length || (!forInsert && index === array.length)) throw new JsonPatchError(`"${pointer}": index ${index} is out of bounds`);
  return index;
}

/** The container holding the last token of `path`, and that token. */
function parentOf(doc: Json, path: string[], pointer: string): { parent: Container; key: string } {
  let current: Json = doc;
  for (const token of path.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(current)
      ? current[arrayIndex(current, token, pointer, false)]
      : isContainer(current) && Object.hasOwn(current, token)
        ? current[token]
        : undefined;
    if (!isContainer(next)) throw new JsonPatchError(`"${pointer}": the path does not exist`);
    current = next;
  }
  if (!isContainer(current)) throw new JsonPatchError(`"${pointer}": the path does not exist`);
  return { parent: current, key: path[path.length - 1]! };
}

function getValue(doc: Json, path: string[], pointer: string): Json {
  if (path.length === 0) return doc;
  const { parent, key } = parentOf(doc, path, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key, pointer, false)]!;
  if (!Object.hasOwn(parent, key)) throw new JsonPatchError(`"${pointer}": the member does not exist`);
  return parent[key]!;
}

function addValue(doc: Json, path: string[], pointer: string, value: Json): Json {
  if (path.length === 0) return value;
  const { parent, key } = parentOf(doc, path, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, true), 0, value);
  else parent[key] = value;
  return doc;
}

function removeValue(doc: Json, path: string[], pointer: string): Json {
  if (path.length === 0) throw new JsonPatchError("the whole document cannot be removed");
  const { parent, key } = parentOf(doc, path, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, false), 1);
  else if (Object.hasOwn(parent, key)) delete parent[key];
  else throw new JsonPatchError(`"${pointer}": the member does not exist`);
  return doc;
}

/** Applies `patch` (a parsed JSON array of operations) to a deep copy of `document`. */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw new JsonPatchError("a JSON Patch is an array of operations");
  let doc = structuredClone(document) as Json;
  patch.forEach((operation: unknown, index) => {
    const at = `operation ${index}`;
    if (!isContainer(operation as Json) || Array.isArray(operation)) throw new JsonPatchError(`${at} is not an object`);
    const op = operation as Record<string, Json | undefined>;
    const path = parsePointer(op.path, `${at} path`);
    const pointer = op.path as string;
    switch (op.op) {
      case "add":
      case "replace":
      case "test": {
        if (!Object.hasOwn(op, "value")) throw new JsonPatchError(`${at} (${op.op}) needs a value`);
        const value = structuredClone(op.value) as Json;
        if (op.op === "add") doc = addValue(doc, path, pointer, value);
        else if (op.op === "replace") {
          getValue(doc, path, pointer);
          doc = path.length === 0 ? value : addValue(removeValue(doc, path, pointer), path, pointer, value);
        } else if (!isDeepStrictEqual(getValue(doc, path, pointer), value)) {
          throw new JsonPatchError(`${at} (test) failed at "${pointer}"`);
        }
        break;
      }
      case "remove":
        doc = removeValue(doc, path, pointer);
        break;
      case "move":
      case "copy": {
        const fromPath = parsePointer(op.from, `${at} from`);
        const from = op.from as string;
        if (op.op === "move" && path.length > fromPath.length && fromPath.every((token, i) => path[i] === token)) {
          throw new JsonPatchError(`${at} (move) cannot move "${from}" into one of its children`);
        }
        const value = structuredClone(getValue(doc, fromPath, from));
        if (op.op === "move") doc = removeValue(doc, fromPath, from);
        doc = addValue(doc, path, pointer, value);
        break;
      }
      default:
        throw new JsonPatchError(`${at} has an unknown op ${JSON.stringify(op.op ?? null)}`);
    }
  });
  return doc;
}
