/** Small JSON/form helpers for setting up the measured servers (never used inside a measured window). */

export class HttpCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;

export async function callJson(
  baseUrl: string,
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: { bearer?: string; body?: unknown } = {},
): Promise<Json> {
  const headers: Record<string, string> = {};
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  if (response.status !== 200) throw new HttpCallError(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`, response.status, text);
  return text ? (JSON.parse(text) as Json) : {};
}

export async function postForm(url: string, form: Record<string, string>, basic?: { user: string; password: string }): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (basic) headers.authorization = basicAuthorization(basic.user, basic.password);
  const response = await fetch(url, { method: "POST", headers, body: new URLSearchParams(form).toString() });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Json) : {} };
}

/** RFC 6749 §2.3.1: client_id and client_secret are form-urlencoded before Basic encoding. */
export function basicAuthorization(user: string, password: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(user)}:${encode(password)}`).toString("base64")}`;
}

export function stringField(json: Json, name: string): string {
  const value = json[name];
  if (typeof value !== "string") throw new Error(`expected a string "${name}" in ${JSON.stringify(json).slice(0, 500)}`);
  return value;
}
