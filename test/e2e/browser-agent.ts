/**
 * A minimal browser for end-to-end tests: keeps cookies (per name, host-only), never follows
 * redirects by itself, and fills in the login server's HTML forms (hidden fields included).
 */
export class BrowserAgent {
  readonly cookies = new Map<string, string>();

  /** `send`: the global fetch, or one that trusts a test CA (tls-fetch.ts) for a login server on TLS. */
  constructor(private readonly send: (url: string | URL, init: BrowserRequestInit) => Promise<Response> = fetch) {}

  async request(url: string | URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (init.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await this.send(url, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: "manual",
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/;\s*max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Submits the page's form: its hidden inputs plus `fields`, to the form's action on `base`. */
  async submit(page: string, base: string, fields: Record<string, string>): Promise<Response> {
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no form on the page:\n${page}`);
    const hidden = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
    return this.request(new URL(action, base), { form: { ...hidden, ...fields } });
  }
}

/** What the agent hands its fetch. */
export interface BrowserRequestInit {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  redirect: "manual";
}

/** A response's JSON body, typed for the assertions at hand (string members unless told otherwise). */
export async function readJson<T = Record<string, string>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
