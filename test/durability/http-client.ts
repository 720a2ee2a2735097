/**
 * JSON calls to the Tessera process over loopback, with the one distinction crash testing needs:
 * a request that certainly never reached the server (connection refused: the server is down, so the
 * call may be retried after the restart) versus one whose outcome is unknown (the connection broke
 * after the request went out: the server may or may not have committed it).
 */

export class NotSent extends Error {}
export class OutcomeUnknown extends Error {}

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export async function postJson(url: string, token: string, body: unknown, timeoutMs = 15_000): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (causeCode(error) === "ECONNREFUSED") throw new NotSent(`${url}: connection refused`);
    throw new OutcomeUnknown(`${url}: ${causeCode(error) ?? String(error)}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new OutcomeUnknown(`${url}: the answer broke off (${causeCode(error) ?? String(error)})`);
  }
  if (response.status >= 500) throw new Error(`${url} answered ${response.status}: ${text}`);
  return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
