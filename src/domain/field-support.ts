import { z } from "zod";

/**
 * How Tessera treats each field of Authlete's Service and Client objects. Every field is in exactly
 * one class, kept in the tables of service-fields.ts and client-fields.ts, from which the zod schemas,
 * the refusal of unsupported values and docs/authlete-compatibility.md are all derived:
 * - `honoured`: Tessera implements the behaviour;
 * - `stored`: informational, returned as given;
 * - `pending`: the feature is not built yet; the field is accepted at its neutral value (absent,
 *   null, false, 0, "" or []; some fields name other neutral values) and any other value is refused
 *   with a result code naming it, so a setting is never silently without effect;
 * - `assigned`: set by Tessera (ids, timestamps, computed values); accepted and ignored in requests
 *   so that a read-modify-write round trip works.
 */
export type FieldSupport = "honoured" | "stored" | "pending" | "assigned";

export interface FieldEntry<S extends z.ZodType = z.ZodType> {
  schema: S;
  support: FieldSupport;
  /** What the field does in Tessera, or for `pending` fields the feature it waits for. */
  note: string;
  /** A Tessera extension: not a field of Authlete's schema. */
  extension?: boolean;
  /**
   * True for the values Tessera can honour; any other value waits for `feature` and is refused.
   * Every `pending` field has one (by default `isOffValue`); an honoured field has one when only
   * some of Authlete's values are implemented.
   */
  accepts?: (value: unknown) => boolean;
  /** The feature a refused value waits for. */
  feature?: string;
}

export type FieldTable = Record<string, FieldEntry>;

/**
 * The values of a setting Tessera implements, and what the others wait for (or why they are refused
 * for good): the `partly` of an honoured field, and the checks of settings outside the tables.
 */
export interface ImplementedValues {
  accepts: (value: unknown) => boolean;
  feature: string;
}

/** The zod shape of a field table. */
export type ShapeOf<T extends FieldTable> = { [K in keyof T]: T[K]["schema"] };

export function shapeOf<T extends FieldTable>(table: T): ShapeOf<T> {
  return Object.fromEntries(Object.entries(table).map(([name, entry]) => [name, entry.schema])) as ShapeOf<T>;
}

/** Absent, null, false, 0, "" and []: the values by which Authlete means "this feature is off". */
export function isOffValue(value: unknown): boolean {
  return (
    value === undefined || value === null || value === false || value === 0 || value === "" || (Array.isArray(value) && value.length === 0)
  );
}

const described = <S extends z.ZodType>(schema: S, text: string): S => schema.describe(text) as S;

/** `partly` names the values Tessera implements and the feature the others wait for. */
export function honoured<S extends z.ZodType>(
  schema: S,
  note: string,
  partly?: ImplementedValues,
): FieldEntry<S> {
  return { schema: described(schema, note), support: "honoured", note, ...partly };
}

/** A Tessera extension field: honoured, not in Authlete's schema. */
export function extension<S extends z.ZodType>(schema: S, note: string): FieldEntry<S> {
  return { schema: described(schema, `[ext] ${note}`), support: "honoured", note, extension: true };
}

export function stored<S extends z.ZodType>(schema: S, note = "Informational; stored and returned as given."): FieldEntry<z.ZodOptional<z.ZodNullable<S>>> {
  return { schema: described(schema.nullish(), note), support: "stored", note };
}

/**
 * A field whose feature Tessera does not have yet. `feature` names it (and the issue that builds it);
 * `accepts` widens what counts as neutral beyond `isOffValue` where Authlete's own default is another value.
 */
export function pending<S extends z.ZodType>(
  schema: S,
  feature: string,
  accepts: (value: unknown) => boolean = isOffValue,
): FieldEntry<z.ZodOptional<z.ZodNullable<S>>> {
  const note = `Not yet supported (${feature}); only its neutral value is accepted.`;
  return { schema: described(schema.nullish(), note), support: "pending", note: feature, accepts, feature };
}

export function assigned<S extends z.ZodType>(schema: S, note: string): FieldEntry<z.ZodOptional<S>> {
  return { schema: described(schema.optional(), `Read-only (${note}); ignored when sent.`), support: "assigned", note };
}

/** Accepts the off values and any value made only of `accepted` ones, e.g. `["NORMAL"]` claim types. */
export const onlyValues =
  (...accepted: readonly unknown[]) =>
  (value: unknown): boolean =>
    isOffValue(value) || (Array.isArray(value) ? value.every((item) => accepted.includes(item)) : accepted.includes(value));

/**
 * `field = value (feature)` for every field whose value Tessera cannot honour yet, or `field (feature)`
 * when the values must stay out of the message (runtime inputs: proofs, keys, certificates); empty when
 * there is none. Only fields present in `values` are looked at, so the check runs on a whole object or a patch.
 */
export function unsupportedValues(table: FieldTable, values: Readonly<Record<string, unknown>>, options: { echoValues: boolean }): string[] {
  const found: string[] = [];
  for (const name in values) {
    const entry = table[name];
    if (!entry?.accepts || entry.accepts(values[name])) continue;
    found.push(options.echoValues ? `${name} = ${JSON.stringify(values[name])} (${entry.feature})` : `${name} (${entry.feature})`);
  }
  return found;
}

/** The default of every field that has one, for documents stored before the field existed. */
export function defaultsOf(table: FieldTable): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(table)) {
    if (entry.schema instanceof z.ZodDefault) defaults[name] = entry.schema.def.defaultValue;
  }
  return defaults;
}
