/**
 * The raw authorization request (a query string or a form body) as name → values. Empty values
 * count as absent (catalogue SEC-007: `state=` is never echoed back empty). Repetitions are kept so
 * the steps can reject them: RFC 6749 §3.1 forbids sending a parameter more than once.
 */
export class RequestParameters {
  readonly #values: Map<string, string[]>;

  private constructor(values: Map<string, string[]>) {
    this.#values = values;
  }

  static parse(raw: string): RequestParameters {
    const values = new Map<string, string[]>();
    for (const [name, value] of new URLSearchParams(raw)) {
      if (value === "") continue;
      const list = values.get(name);
      if (list) list.push(value);
      else values.set(name, [value]);
    }
    return new RequestParameters(values);
  }

  get isEmpty(): boolean {
    return this.#values.size === 0;
  }

  /** The single value of `name`; undefined when absent. Call `isDuplicated` first where repetition matters. */
  get(name: string): string | undefined {
    return this.#values.get(name)?.[0];
  }

  all(name: string): string[] {
    return this.#values.get(name) ?? [];
  }

  isDuplicated(name: string): boolean {
    return (this.#values.get(name)?.length ?? 0) > 1;
  }

  /** The single values of `names` that are present, e.g. the client authentication parameters. */
  pick(names: readonly string[]): Map<string, string> {
    const picked = new Map<string, string>();
    for (const name of names) {
      const value = this.get(name);
      if (value !== undefined) picked.set(name, value);
    }
    return picked;
  }

  /** Names given more than once, except those allowed to repeat. */
  duplicatedNames(allowedToRepeat: ReadonlySet<string>): string[] {
    return [...this.#values].filter(([name, list]) => list.length > 1 && !allowedToRepeat.has(name)).map(([name]) => name);
  }
}

/** Splits a space-delimited list parameter (scope, prompt, acr_values, ui_locales…) into its distinct values. */
export function spaceDelimited(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [...new Set(value.split(" ").filter((item) => item !== ""))];
}
