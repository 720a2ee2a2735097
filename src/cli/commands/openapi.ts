import { createApp } from "../../app.js";
import { buildOpenApiDocument } from "../../http/openapi.js";
import { inertDeps } from "../inert-deps.js";
import type { CliIo } from "../io.js";
import { writeGenerated } from "../write-generated.js";

export const defaultSpecFile = "openapi/openapi.json";

/** The published spec exactly as committed: 2-space JSON with a trailing newline. */
export function renderOpenApiSpec(): string {
  return `${JSON.stringify(buildOpenApiDocument(createApp(inertDeps())), null, 2)}\n`;
}

/** `tessera openapi [file]`: the spec to stdout, or to `file` (`npm run openapi` passes {@link defaultSpecFile}). */
export function openapiCommand(file: string | undefined, io: Pick<CliIo, "out">): void {
  writeGenerated(renderOpenApiSpec(), file, io);
}
