/** What `duplicatedNames` allows to repeat unless told otherwise: nothing (RFC 6749 §3.1, §3.2). */
const noNames: ReadonlySet<string> = new Set();

/**
 * A raw protocol request (a query string or a form body) as name → values.
 * - Empty values count as absent (RFC 6749 §3.1, §3.2; catalogue SEC-007: `state=` is never echoed
 *   back empty), except where presence itself matters: `pick` keeps them, so a client credential
 *   sent empty reads as present and fails authentication instead of skipping it (RFC 7662 §2.1).
 * - Repetitions are kept so the endpoints can reject them: RFC 6749 §3.1 and §3.2 forbid sending a
 *   parameter more than once.
 * - A name or value carrying a control character is recorded (`controlCharacterName`): no protocol
 *   value has one, and passing NUL, CR or LF on (in `state`, into a redirect URL, a log line or a
 *   JSON answer) only helps an attacker. JSON-valued parameters may carry JSON's whitespace.
 */
export class RequestParameters {
  readonly #values: Map<string, string[]>;
  /** How many times each name was sent with an empty value. */
  readonly #emptyCounts: Map<string, number>;
  readonly #controlCharacterName: string | undefined;

  private constructor(values: Map<string, string[]>, emptyCounts: Map<string, number>, controlCharacterName: string | undefined) {
    this.#values = values;
    this.#emptyCounts = emptyCounts;
    this.#controlCharacterName = controlCharacterName;
  }

  static parse(raw: string): RequestParameters {
    const values = new Map<string, string[]>();
    const emptyCounts = new Map<string, number>();
    let controlCharacterName: string | undefined;
    for (const [name, value] of new URLSearchParams(raw)) {
      if (controlCharacterName === undefined && hasControlCharacter(name, value)) controlCharacterName = printable(name);
      if (value === "") {
        emptyCounts.set(name, (emptyCounts.get(name) ?? 0) + 1);
        continue;
      }
      const list = values.get(name);
      if (list) list.push(value);
      else values.set(name, [value]);
    }
    return new RequestParameters(values, emptyCounts, controlCharacterName);
  }

  get isEmpty(): boolean {
    return this.#values.size === 0;
  }

  /** The single value of `name`; undefined when absent or empty. Call `isDuplicated` first where repetition matters. */
  get(name: string): string | undefined {
    return this.#values.get(name)?.[0];
  }

  all(name: string): string[] {
    return this.#values.get(name) ?? [];
  }

  /** The names sent with a value, in the order first sent. */
  names(): string[] {
    return [...this.#values.keys()];
  }

  /** The request as a form body again, without `omitted`; empty values, which count as absent, are left out. */
  toForm(omitted: readonly string[] = []): string {
    const form = new URLSearchParams();
    for (const [name, list] of this.#values) {
      if (omitted.includes(name)) continue;
      for (const value of list) form.append(name, value);
    }
    return form.toString();
  }

  isDuplicated(name: string): boolean {
    return this.#occurrences(name) > 1;
  }

  /** The first parameter whose name or value holds a control character (controls in the name shown as `?`); undefined when there is none. */
  get controlCharacterName(): string | undefined {
    return this.#controlCharacterName;
  }

  /**
   * The single values of `names` that were sent, an empty value included as "": for the client
   * authentication parameters, where "sent empty" must not read as "not sent".
   */
  pick(names: readonly string[]): Map<string, string> {
    const picked = new Map<string, string>();
    for (const name of names) {
      const value = this.get(name) ?? (this.#emptyCounts.has(name) ? "" : undefined);
      if (value !== undefined) picked.set(name, value);
    }
    return picked;
  }

  /** The same request reduced to `names` (what one grant type reads; RFC 6749 §3.2 lets it ignore the rest). */
  only(names: readonly string[]): RequestParameters {
    const values = new Map<string, string[]>();
    const emptyCounts = new Map<string, number>();
    for (const name of names) {
      const list = this.#values.get(name);
      if (list) values.set(name, list);
      const empty = this.#emptyCounts.get(name);
      if (empty !== undefined) emptyCounts.set(name, empty);
    }
    const controlCharacterName = this.#controlCharacterName !== undefined && names.includes(this.#controlCharacterName) ? this.#controlCharacterName : undefined;
    return new RequestParameters(values, emptyCounts, controlCharacterName);
  }

  /** Names given more than once (empty values count: `state=&state=x` is a repetition), except those allowed to repeat. */
  duplicatedNames(allowedToRepeat: ReadonlySet<string> = noNames): string[] {
    const duplicated: string[] = [];
    for (const [name, list] of this.#values) {
      if (list.length + (this.#emptyCounts.get(name) ?? 0) > 1 && !allowedToRepeat.has(name)) duplicated.push(name);
    }
    for (const [name, count] of this.#emptyCounts) {
      if (!this.#values.has(name) && count > 1 && !allowedToRepeat.has(name)) duplicated.push(name);
    }
    return duplicated;
  }

  #occurrences(name: string): number {
    return (this.#values.get(name)?.length ?? 0) + (this.#emptyCounts.get(name) ?? 0);
  }
}

/** Parameters whose value is a JSON document: TAB, LF and CR are JSON whitespace there (RFC 8259 §2). */
export const jsonValuedParameters: ReadonlySet<string> = new Set(["claims", "authorization_details"]);

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** C0 controls and DEL; JSON's whitespace (TAB, LF, CR) passes when `jsonWhitespaceAllowed`. */
function containsControl(text: string, jsonWhitespaceAllowed: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code !== 0x7f) continue;
    if (jsonWhitespaceAllowed && (code === TAB || code === LF || code === CR)) continue;
    return true;
  }
  return false;
}

function hasControlCharacter(name: string, value: string): boolean {
  return containsControl(name, false) || containsControl(value, jsonValuedParameters.has(name));
}

/** A name fit to quote in an error description. */
function printable(name: string): string {
  return [...name].map((char) => (containsControl(char, false) ? "?" : char)).join("");
}

/** Splits a space-delimited list parameter (scope, prompt, acr_values, ui_locales…) into its distinct values. */
export function spaceDelimited(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [...new Set(value.split(" ").filter((item) => item !== ""))];
}
