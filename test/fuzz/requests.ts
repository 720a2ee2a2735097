import fc from "fast-check";
import { deepNesting, formBody, hostileString, invalidUtf8, junkJson } from "./hostile.js";
import { type FieldSpec, type Operation, fillPath, isRuntime } from "./operations.js";
import { REDIRECT, type FuzzWorld, type RawRequest } from "./support.js";

/**
 * Hostile requests for one operation: wrong or missing API tokens, junk path and query values
 * (badly percent-encoded, look-alikes, NUL), and bodies that are malformed JSON, JSON of the wrong
 * shape or types, deep nesting, invalid UTF-8, form bodies, oversized, or sent under the wrong
 * content type. Runtime `parameters` start from a valid protocol request and get edited (values
 * replaced, keys duplicated or dropped, raw junk appended), so the fuzzer reaches deep code paths.
 */

/** Every protocol parameter name the runtime endpoints read. */
const PROTOCOL_KEYS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "prompt",
  "max_age",
  "claims",
  "response_mode",
  "ui_locales",
  "claims_locales",
  "display",
  "login_hint",
  "acr_values",
  "id_token_hint",
  "request",
  "request_uri",
  "resource",
  "grant_type",
  "code",
  "code_verifier",
  "refresh_token",
  "client_secret",
  "client_assertion",
  "client_assertion_type",
  "username",
  "password",
  "token",
  "token_type_hint",
];

function baseParameters(operation: Operation, world: FuzzWorld): Array<Record<string, string>> {
  return baseParametersOf(operation, world) as Array<Record<string, string>>;
}

function baseParametersOf(operation: Operation, world: FuzzWorld): Array<Record<string, string | undefined>> {
  const { seeds, web } = world;
  switch (operation.operationId) {
    case "authorizationProcess":
      return ["query", "fragment", "form_post"].flatMap((mode) => [
        { client_id: "web", response_type: "code", redirect_uri: REDIRECT, scope: "openid profile", state: "xyz", response_mode: mode },
        { client_id: "web", response_type: "code id_token", redirect_uri: REDIRECT, scope: "openid", nonce: "n", state: "s", response_mode: mode },
        { client_id: "spa", response_type: "code", redirect_uri: "https://client.example.com/callback", scope: "openid", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256", response_mode: mode },
      ]);
    case "tokenProcess":
      return [
        { grant_type: "authorization_code", code: seeds.code, redirect_uri: REDIRECT, client_id: "web", client_secret: web.secret },
        { grant_type: "client_credentials", scope: "profile", client_id: "web", client_secret: web.secret },
        { grant_type: "refresh_token", refresh_token: seeds.refreshToken, client_id: "web", client_secret: web.secret },
        { grant_type: "password", username: "alice", password: "pw", client_id: "web", client_secret: web.secret },
        { grant_type: "authorization_code", code: seeds.code, redirect_uri: REDIRECT, client_id: "spa", code_verifier: "x".repeat(43) },
      ];
    case "revocationProcess":
      return [
        { token: seeds.accessToken, client_id: "web", client_secret: web.secret },
        { token: seeds.refreshToken, token_type_hint: "refresh_token", client_id: "web", client_secret: web.secret },
      ];
    case "introspectionStandardProcess":
      return [{ token: seeds.accessToken }, { token: seeds.refreshToken, token_type_hint: "refresh_token" }];
    case "pushedAuthorizationCreate":
      return [
        { client_id: "web", client_secret: web.secret, response_type: "code", redirect_uri: REDIRECT, scope: "openid profile", state: "xyz" },
        { client_id: "spa", response_type: "code", redirect_uri: REDIRECT, scope: "openid", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" },
      ];
    default:
      return [];
  }
}

function encodeValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value; // lone surrogate: send it raw
  }
}

type Edit = { kind: "set" | "add"; key: string; value: string } | { kind: "drop"; key: string } | { kind: "raw"; text: string };

/** A valid protocol request of the operation, edited a few times. */
function editedParameters(operation: Operation, world: FuzzWorld): fc.Arbitrary<string> {
  const bases = baseParameters(operation, world);
  if (bases.length === 0) return formBody(PROTOCOL_KEYS, world.seeds.all);
  const keys = [...new Set([...bases.flatMap((base) => Object.keys(base)), ...PROTOCOL_KEYS])];
  const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: hostileString() });
  const value = hostileString(world.seeds.all);
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ kind: fc.constant("set" as const), key, value }),
    fc.record({ kind: fc.constant("add" as const), key, value }),
    fc.record({ kind: fc.constant("drop" as const), key }),
    fc.record({ kind: fc.constant("raw" as const), text: hostileString() }),
  );
  return fc.tuple(fc.constantFrom(...bases), fc.array(edit, { minLength: 0, maxLength: 4 }), fc.boolean()).map(([base, edits, encode]) => {
    let pairs: Array<[string, string] | string> = Object.entries(base);
    for (const change of edits) {
      if (change.kind === "set") pairs = [...pairs.filter((p) => typeof p === "string" || p[0] !== change.key), [change.key, change.value]];
      else if (change.kind === "add") pairs.push([change.key, change.value]);
      else if (change.kind === "drop") pairs = pairs.filter((p) => typeof p === "string" || p[0] !== change.key);
      else if (change.kind === "raw") pairs.push(change.text);
    }
    return pairs.map((p) => (typeof p === "string" ? p : encode ? `${encodeValue(p[0])}=${encodeValue(p[1])}` : `${p[0]}=${p[1]}`)).join("&");
  });
}

/** A JSON value for one body field: usually of its declared type (or enum), sometimes anything at all. */
function fieldValue(operation: Operation, field: FieldSpec, world: FuzzWorld): fc.Arbitrary<unknown> {
  const seeds = world.seeds.all;
  const text = field.enumValues.length > 0 ? fc.oneof(fc.constantFrom(...field.enumValues), hostileString(seeds)) : hostileString(seeds);
  let typed: fc.Arbitrary<unknown>;
  if (field.name === "parameters") typed = editedParameters(operation, world);
  else if (field.name === "ticket") typed = fc.oneof(fc.constant(world.seeds.passwordTicket), hostileString(seeds));
  else if (field.name === "token") typed = fc.oneof(fc.constantFrom(world.seeds.accessToken, world.seeds.refreshToken), hostileString(seeds));
  else if (field.types.includes("string")) typed = text;
  else if (field.types.includes("integer") || field.types.includes("number")) {
    typed = fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 0.5, -0));
  } else if (field.types.includes("boolean")) typed = fc.boolean();
  else if (field.types.includes("array")) typed = fc.array(field.enumValues.length > 0 ? fc.oneof(fc.constantFrom(...field.enumValues), text) : junkJson(seeds), { maxLength: 5 });
  else if (field.types.includes("object")) typed = fc.dictionary(hostileString(), junkJson(seeds), { maxKeys: 4 });
  else typed = junkJson(seeds);
  return fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: junkJson(seeds) });
}

function jsonObjectBody(operation: Operation, world: FuzzWorld): fc.Arbitrary<string> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of operation.bodyFields) fields[field.name] = fieldValue(operation, field, world);
  const junkKeys = fc.dictionary(fc.constantFrom("__proto__", "constructor", "prototype", "", "\u0000", "resultCode", "serviceId", "apiKey"), junkJson(), { maxKeys: 2 });
  return fc.tuple(fc.record(fields, { requiredKeys: [] }), junkKeys, fc.boolean()).map(([known, junk, duplicate]) => {
    const json = JSON.stringify({ ...known, ...junk });
    // A duplicated key: JSON.parse keeps the last one, a careless validator might check the first.
    if (duplicate && operation.bodyFields.length > 0) {
      const name = operation.bodyFields[0]!.name;
      return `${json.slice(0, -1)}${json.length > 2 ? "," : ""}${JSON.stringify(name)}:{"$junk":[1,2,3]}}`;
    }
    return json;
  });
}

type Body = { contentType: string | null; body: string | Uint8Array };

function body(operation: Operation, world: FuzzWorld): fc.Arbitrary<Body> {
  const json = (arb: fc.Arbitrary<string | Uint8Array>) => arb.map((b): Body => ({ contentType: "application/json", body: b }));
  const form = (arb: fc.Arbitrary<string>) => arb.map((b): Body => ({ contentType: "application/x-www-form-urlencoded", body: b }));
  const formFields = fc.array(
    fc.tuple(fc.constantFrom(...(operation.bodyFields.map((f) => f.name).concat(["x"]))), fc.oneof(editedParameters(operation, world), hostileString(world.seeds.all))),
    { maxLength: 6 },
  ).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeValue(v)}`).join("&"));
  const invalidUtf8Json = fc.tuple(fc.constantFrom(...invalidUtf8), fc.constantFrom(...operation.bodyFields.map((f) => f.name).concat(["x"]))).map(([bytes, name]) => {
    const head = Buffer.from(`{"${name}":"`);
    return Uint8Array.from([...head, ...bytes, ...Buffer.from('"}')]);
  });
  const arms: Array<{ weight: number; arbitrary: fc.Arbitrary<Body> }> = [
    { weight: 8, arbitrary: json(jsonObjectBody(operation, world)) },
    { weight: 1, arbitrary: json(junkJson(world.seeds.all).map((v) => JSON.stringify(v) ?? "null")) },
    { weight: 1, arbitrary: json(fc.oneof(hostileString(), fc.constant(deepNesting), fc.constant('{"a":'), fc.constant("{'a':1}"))) },
    { weight: 1, arbitrary: json(invalidUtf8Json) },
    { weight: operation.acceptsForm ? 4 : 1, arbitrary: form(formFields) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(null, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "APPLICATION/JSON", "application/jsonx", "application/x-www-form-urlencoded; charset=utf-8", "\u00ff"), jsonObjectBody(operation, world))
        .map(([contentType, b]): Body => ({ contentType, body: b })),
    },
    // Past the 1 MiB body limit.
    { weight: 1, arbitrary: fc.constant<Body>({ contentType: "application/json", body: `{"parameters":"${"a".repeat(1024 * 1024 + 16)}"}` }) },
  ];
  return fc.oneof(...arms);
}

function pathValue(name: string, world: FuzzWorld): fc.Arbitrary<string> {
  const real: string[] =
    name === "serviceId"
      ? [String(world.serviceId)]
      : name === "tokenId"
        ? [world.seeds.apiTokenId]
        : [String(world.web.client.clientId), String(world.spa.clientId), "web", "spa"];
  const others = name === "serviceId" ? [String(world.otherServiceId), "0", "9007199254740993", "1e3"] : ["0", "-1", "9007199254740993"];
  const hostile = hostileString(world.seeds.all).map((v) => encodeValue(v));
  const raw = fc.constantFrom("%zz", "%", "%C0%AF", "%00", "%ff", "a%2Fb", "..", "%2e%2e", "%20", "%E2%80%AE");
  return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...real) }, { weight: 2, arbitrary: fc.constantFrom(...others) }, { weight: 2, arbitrary: hostile }, { weight: 1, arbitrary: raw });
}

function query(operation: Operation, world: FuzzWorld): fc.Arbitrary<string> {
  if (operation.queryParams.length === 0) return fc.constantFrom("", "", "", "?%zz=%&=&a=%00", "?access_token=x");
  const value = fc.oneof(fc.constantFrom("0", "1", "5", "-1", "100000", "true", "1.5", ""), hostileString(world.seeds.all).map(encodeValue), fc.constantFrom("%zz", "%"));
  return fc.array(fc.tuple(fc.constantFrom(...operation.queryParams), value), { maxLength: 3 }).map((pairs) => (pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`));
}

function authorization(operation: Operation, world: FuzzWorld): fc.Arbitrary<string | null> {
  const mine = isRuntime(operation) ? world.serviceToken : world.t.adminToken;
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant(`Bearer ${mine}`) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${world.otherServiceToken}`) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom("Bearer", "Bearer ", "Basic Og==", `bearer  ${mine}`, `Bearer ${mine} x`, `Bearer ${mine.toUpperCase()}`, `Bearer ${mine.slice(0, -1)}`),
        fc.string({ unit: "binary-ascii", maxLength: 60 }).map((s) => `Bearer ${s}`),
      ),
    },
  );
}

/** The fields a runtime call is about: always sent when the fuzzer attacks the content, not the envelope. */
const CORE_FIELDS = new Set(["parameters", "ticket", "token", "subject", "reason"]);

/** A request whose envelope (token, path, content type, JSON syntax) is right, with hostile field values. */
function contentAttack(operation: Operation, world: FuzzWorld): fc.Arbitrary<RawRequest> {
  const token = isRuntime(operation) ? world.serviceToken : world.t.adminToken;
  const values = Object.fromEntries(
    operation.pathParams.map((name) => [
      name,
      name === "serviceId" ? String(world.serviceId) : name === "tokenId" ? world.seeds.apiTokenId : name === "clientId" ? String(world.web.client.clientId) : "web",
    ]),
  );
  // The fields the call is about always; one or two of the others now and then, so that most
  // requests pass schema validation and reach the protocol logic.
  const value = (name: string) => fieldValue(operation, operation.bodyFields.find((f) => f.name === name)!, world);
  const names = operation.bodyFields.map((f) => f.name);
  const core = names.filter((name) => CORE_FIELDS.has(name));
  const others = names.filter((name) => !CORE_FIELDS.has(name));
  const coreRecord = fc.record(Object.fromEntries(core.map((name) => [name, value(name)])));
  const extraRecord = fc
    .subarray(others, { maxLength: core.length > 0 ? Math.min(2, others.length) : others.length })
    .chain((picked) => fc.record(Object.fromEntries(picked.map((name) => [name, value(name)]))));
  const json = fc.tuple(coreRecord, extraRecord).map(([a, b]) => JSON.stringify({ ...b, ...a }));
  return fc.tuple(json, query(operation, world)).map(([body, q]) => ({
    method: operation.method,
    target: fillPath(operation, values) + q,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: operation.method === "GET" ? undefined : body,
  }));
}

/** A request attacked anywhere: API token, path values, query, content type, body syntax and shape. */
function envelopeAttack(operation: Operation, world: FuzzWorld): fc.Arbitrary<RawRequest> {
  const pathValues = fc.record(Object.fromEntries(operation.pathParams.map((name) => [name, pathValue(name, world)])));
  const hasBody = operation.method !== "GET";
  return fc
    .tuple(pathValues, query(operation, world), authorization(operation, world), hasBody ? body(operation, world) : fc.constant(null))
    .map(([values, q, auth, b]) => {
      const headers: Record<string, string> = {};
      if (auth !== null) headers.authorization = auth;
      if (b?.contentType) headers["content-type"] = b.contentType;
      return { method: operation.method, target: fillPath(operation, values as Record<string, string>) + q, headers, body: b?.body };
    });
}

/**
 * Hostile requests for `operation` in `world`: some attack the envelope, the others the content
 * behind a valid envelope (three in four for runtime operations, whose protocol logic is deepest).
 */
export function hostileRequest(operation: Operation, world: FuzzWorld): fc.Arbitrary<RawRequest> {
  return fc.oneof({ weight: 1, arbitrary: envelopeAttack(operation, world) }, { weight: isRuntime(operation) ? 3 : 1, arbitrary: contentAttack(operation, world) });
}
