import fc from "fast-check";

/**
 * Generators of hostile input: the raw material every fuzz property draws from. Strings that break
 * parsers (NUL, CR/LF, lone surrogates, invalid percent-encoding), Unicode look-alikes of the words
 * the protocol reacts to, markup that must never come back unescaped, oversized values, and JSON
 * of the wrong type. `seeds` are real values of the fixture (a client id, a code, a redirect URI)
 * so that mutations land near the paths that do work.
 */

/** Marks markup we inject; an HTML answer that contains it unescaped reflects our input. */
export const MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg/onload=alert(1)>", "</form><form action=//evil>", "<!--", "]]>"];

const special = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\r\n",
  "x\r\nSet-Cookie: a=b",
  "\n",
  "\t",
  "%",
  "%%",
  "%zz",
  "%0",
  "%00",
  "%0d%0a",
  "%C0%AF",
  "%ff%fe",
  "%E2%82",
  "%u0041",
  "+",
  "&",
  "=",
  "&&==",
  "#",
  "?",
  "\\",
  "../../etc/passwd",
  "\ud800",
  "\udfff",
  "\ufeff",
  "\u202e",
  "\u200b",
  "\uffff",
  "𝕔𝕠𝕕𝕖",
  "ｃｏｄｅ",
  "сode", // Cyrillic es
  "ᴄode",
  "openıd", // dotless i
  "OPENID",
  "İ",
  "ß",
  "null",
  "undefined",
  "true",
  "NaN",
  "-1",
  "0",
  "1e309",
  "9007199254740993",
  "-0",
  "0x10",
  "__proto__",
  "constructor",
  "{}",
  "[]",
  '{"__proto__":{"admin":true}}',
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "https://evil.example/",
  "https://client.example.com/callback#frag",
  "https://client.example.com/callback?x=1",
  "https://client.example.com/callback/../x",
  "https://CLIENT.example.com/callback",
  "https://client.example.com:443/callback",
  "http://127.0.0.1:1/",
  "//evil.example",
  "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
  "eyJ.eyJ.eyJ",
  "a.b.c.d.e",
  "Bearer x",
  "Basic Og==",
  ...MARKUP,
];

/** A string that is hostile in one or more ways. */
export function hostileString(seeds: readonly string[] = []): fc.Arbitrary<string> {
  const atoms: fc.Arbitrary<string>[] = [
    fc.constantFrom(...special),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ unit: "binary-ascii", maxLength: 40 }),
    // Oversized: past the field limits (1000, 8192, 65 536) without blowing the body limit.
    fc.constantFrom(1_001, 8_193, 65_537, 200_000).map((n) => "A".repeat(n)),
  ];
  if (seeds.length > 0) {
    const seed = fc.constantFrom(...seeds);
    atoms.push(seed, seed, fc.tuple(seed, fc.constantFrom(...special)).map(([a, b]) => a + b), mutated(seed));
  }
  const atom = fc.oneof(...atoms);
  return fc.oneof({ weight: 4, arbitrary: atom }, { weight: 1, arbitrary: fc.array(atom, { minLength: 2, maxLength: 3 }).map((parts) => parts.join("")) });
}

/** One edit of a real value: flip a character, cut it, double it, change its case, add look-alikes or padding. */
export function mutated(seed: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(seed, fc.nat(), fc.constantFrom("flip", "cut", "double", "upper", "lookalike", "pad", "percent")).map(([value, at, how]) => {
    const i = value.length === 0 ? 0 : at % value.length;
    switch (how) {
      case "flip":
        return value.slice(0, i) + String.fromCharCode((value.charCodeAt(i) || 65) ^ 1) + value.slice(i + 1);
      case "cut":
        return value.slice(0, i);
      case "double":
        return value + value;
      case "upper":
        return value.toUpperCase();
      case "lookalike":
        return value.replace(/a/g, "а").replace(/o/g, "ο"); // Cyrillic a, Greek omicron
      case "pad":
        return ` ${value}\u0000`;
      default:
        return encodeFormValue(value);
    }
  });
}

/** Any JSON value, deeply nested junk included, for type confusion. */
export function junkJson(seeds: readonly string[] = []): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    hostileString(seeds),
    fc.integer(),
    fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 53), 1e308, 0.5),
    fc.boolean(),
    fc.constant(null),
  );
  return fc.oneof(
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom("key", "value", "hidden", "__proto__", "a", ""), leaf, { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  );
}

/** Nesting far past anything sane: 5000 levels of arrays (a recursive walker would blow its stack). */
export const deepNesting = `${"[".repeat(5000)}${"]".repeat(5000)}`;

/** Bytes that are not valid UTF-8 (overlong, lone continuation, truncated sequence, surrogate half). */
export const invalidUtf8: Uint8Array[] = [
  Uint8Array.from([0xc0, 0xaf]),
  Uint8Array.from([0x80]),
  Uint8Array.from([0xe2, 0x82]),
  Uint8Array.from([0xed, 0xa0, 0x80]),
  Uint8Array.from([0xff, 0xfe, 0x00]),
];

/** A form body assembled by hand, so keys and values can be badly encoded, repeated or empty. */
export function formBody(keys: readonly string[], seeds: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: hostileString() });
  const value = hostileString(seeds);
  const pair = fc.tuple(key, value, fc.constantFrom("encoded", "raw", "bare", "empty")).map(([k, v, how]) => {
    if (how === "encoded") return `${encodeFormValue(k)}=${encodeFormValue(v)}`;
    if (how === "raw") return `${k}=${v}`;
    if (how === "bare") return encodeFormValue(k);
    return `${encodeFormValue(k)}=`;
  });
  return fc.array(pair, { maxLength: 12 }).map((pairs) => pairs.join("&"));
}

/** encodeURIComponent that survives lone surrogates (it throws on them): those go in raw. */
function encodeFormValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}
