export type OutputFormat = "json" | "table";
export const outputFormats: readonly OutputFormat[] = ["json", "table"];

type Row = Record<string, unknown>;

/** A list answer's column: its header and the field it shows. */
export interface Column {
  header: string;
  field: string;
}

const isRecord = (value: unknown): value is Row => typeof value === "object" && value !== null && !Array.isArray(value);

// Epoch-millisecond fields (createdAt, expiresAt, …) read as dates in a table; JSON keeps the numbers.
function cell(field: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number" && /At$/.test(field) && Number.isInteger(value) && value > 0) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString().replace(/\.000Z$/, "Z");
  }
  if (Array.isArray(value)) return value.map((item) => (isRecord(item) || Array.isArray(item) ? JSON.stringify(item) : String(item))).join(",");
  if (isRecord(value)) return JSON.stringify(value);
  return String(value).replace(/[\r\n\t]+/g, " ");
}

function layout(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => (row[index] ?? "").length)));
  const line = (cells: string[]) => cells.map((text, index) => (index === cells.length - 1 ? text : text.padEnd(widths[index] ?? 0))).join("  ").trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A list as one row per item. */
export function renderRows(items: unknown[], columns: readonly Column[]): string {
  const rows = items.map((item) => columns.map((column) => cell(column.field, isRecord(item) ? item[column.field] : undefined)));
  return layout(
    columns.map((column) => column.header),
    rows,
  );
}

/** One object as FIELD/VALUE lines, in the order the API sent them. */
export function renderRecord(value: unknown): string {
  if (!isRecord(value)) return `${cell("", value)}\n`;
  return layout(
    ["FIELD", "VALUE"],
    Object.entries(value).map(([field, item]) => [field, cell(field, item)]),
  );
}
