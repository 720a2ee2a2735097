import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createApp } from "../../app.js";
import { buildOpenApiDocument } from "../../http/openapi.js";
import { inertDeps } from "../inert-deps.js";

export const defaultSpecFile = "openapi/openapi.json";

/** The published spec exactly as committed: 2-space JSON with a trailing newline. */
export function renderOpenApiSpec(): string {
  return `${JSON.stringify(buildOpenApiDocument(createApp(inertDeps())), null, 2)}\n`;
}

/** `tessera openapi [file]`: write the spec (default openapi/openapi.json); `-` writes to stdout. */
export function openapiCommand(args: string[]): void {
  const file = args[0] ?? defaultSpecFile;
  const text = renderOpenApiSpec();
  if (file === "-") {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`Wrote ${file}\n`);
}
