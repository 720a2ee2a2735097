import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { RESULT_CODES_PAGE } from "../../config/error-uri-base.js";
import type { AppEnv } from "../env.js";
import { buildOpenApiDocument } from "../openapi.js";
import { renderResultCodesPage } from "../result-codes-page.js";

const swaggerDir = join(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"), "..");
const assets: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
};

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-init.js"></script>
</body></html>`;
// validatorUrl: null stops Swagger UI from sending the spec to validator.swagger.io: the page must work offline.
const init = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#ui", deepLinking: true, validatorUrl: null });`;

/**
 * `/openapi.json`, interactive docs served from the installed swagger-ui-dist (so they work offline),
 * and the result-code page that `error_uri` points at by default.
 */
export function registerDocsRoutes(app: OpenAPIHono<AppEnv>): void {
  let document: Record<string, unknown> | undefined;
  let resultCodesPage: string | undefined;
  app.get("/openapi.json", (c) => {
    document ??= buildOpenApiDocument(app);
    return c.json(document);
  });
  app.get("/docs", (c) => c.html(page));
  app.get(RESULT_CODES_PAGE, (c) => {
    resultCodesPage ??= renderResultCodesPage();
    return c.html(resultCodesPage);
  });
  app.get("/docs/assets/swagger-ui-init.js", (c) => c.body(init, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const type = assets[file];
    if (!type) return c.notFound();
    const body = await readFile(join(swaggerDir, file));
    return c.body(body, 200, { "content-type": type, "cache-control": "public, max-age=86400" });
  });
}
