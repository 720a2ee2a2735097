// Extracts the facts Tessera's compatibility tests and docs need from Authlete's published v3 OpenAPI
// document: field names of the Service, Client and ClientExtension objects, the fields of each
// operation's request (its JSON body's properties, or its query parameters when it has no body), the
// action enums of its response, and the example objects. Names and
// examples only; no descriptions. Usage: node scripts/extract-authlete-facts.mjs <authlete-openapi-v3.yaml>
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const [source = "../shared/authlete-openapi-v3.yaml"] = process.argv.slice(2);
const doc = parse(readFileSync(source, "utf8"));
const schemas = doc.components.schemas;
/** Follows `#/components/<section>/<name>` references to what they name. */
function resolve(value) {
  let current = value;
  while (current?.$ref) {
    const [section, name] = current.$ref.replace("#/components/", "").split("/");
    current = doc.components[section][name];
  }
  return current;
}
const refName = (schema) => (schema?.$ref ? schema.$ref.split("/").pop() : null);

function propertiesOf(schema) {
  const resolved = resolve(schema);
  if (!resolved) return {};
  const own = { ...(resolved.properties ?? {}) };
  for (const part of resolved.allOf ?? []) Object.assign(own, propertiesOf(part));
  return own;
}

const objectFields = (name) => Object.keys(propertiesOf(schemas[name]));

const operations = [];
for (const [path, methods] of Object.entries(doc.paths)) {
  for (const [method, operation] of Object.entries(methods)) {
    if (!operation?.operationId) continue;
    const body = resolve(operation.requestBody)?.content?.["application/json"]?.schema;
    const queryFields = [...(methods.parameters ?? []), ...(operation.parameters ?? [])]
      .map((parameter) => resolve(parameter))
      .filter((parameter) => parameter?.in === "query")
      .map((parameter) => parameter.name);
    const ok = operation.responses?.["200"]?.content?.["application/json"]?.schema;
    const responseProperties = propertiesOf(ok);
    const action = resolve(responseProperties.action);
    operations.push({
      method: method.toUpperCase(),
      path,
      operationId: operation.operationId,
      requestSchema: refName(body),
      requestFields: body ? Object.keys(propertiesOf(body)) : queryFields,
      responseSchema: refName(ok),
      actions: action?.enum ?? null,
    });
  }
}

const examplesOf = (pathKey, method) => {
  const operation = doc.paths[pathKey][method];
  const found = [];
  const bodyExample = operation.requestBody?.content?.["application/json"]?.example;
  if (bodyExample) found.push(bodyExample);
  for (const response of Object.values(operation.responses ?? {})) {
    const content = response.content?.["application/json"];
    if (content?.example) found.push(content.example);
    for (const example of Object.values(content?.examples ?? {})) if (example.value) found.push(example.value);
  }
  return found;
};

const facts = {
  source: "Authlete API v3 OpenAPI document (field names, enums and examples only)",
  objects: { service: objectFields("service"), client: objectFields("client"), client_extension: objectFields("client_extension") },
  examples: {
    service: examplesOf("/api/{serviceId}/service/update", "post").concat(examplesOf("/api/{serviceId}/service/get", "get")),
    client: examplesOf("/api/{serviceId}/client/create", "post").concat(examplesOf("/api/{serviceId}/client/update/{clientId}", "post")),
  },
  operations,
};
writeFileSync("openapi/authlete-v3-facts.json", `${JSON.stringify(facts, null, 1)}\n`);
process.stdout.write(`Wrote openapi/authlete-v3-facts.json: ${operations.length} operations\n`);
