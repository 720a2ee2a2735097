import { requireService } from "./runtime-support.js";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { DEFAULT_ACTIVATION_DELAY_SECONDS, rotateSigningKeys } from "../../../core/keys/rotate-keys.js";
import { resultBody } from "../../../core/result-codes.js";
import { AsymmetricJwsAlg } from "../../../domain/enums.js";
import type { AppEnv } from "../../env.js";
import { authorize } from "../../auth.js";
import { commonErrorResponses } from "../../errors.js";
import { ServiceIdParam } from "../../runtime-operation.js";

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;

const KeyRotationRequest = z
  .object({
    alg: z
      .union([AsymmetricJwsAlg, z.literal("ALL")])
      .default("ALL")
      .describe("The algorithm whose key is replaced, or ALL (default) for RS256, PS256, ES256 and EdDSA."),
    activationDelay: z
      .number()
      .int()
      .min(0)
      .max(30 * 86400)
      .default(DEFAULT_ACTIVATION_DELAY_SECONDS)
      .describe(
        `Seconds between publishing the new keys and signing with them (default ${DEFAULT_ACTIVATION_DELAY_SECONDS}), so relying parties ` +
          "refresh their cached JWK Set first. 0 switches at once, e.g. after a suspected key compromise.",
      ),
  })
  .strict()
  .openapi("KeyRotationRequest");

const KeyRotationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    keys: z
      .array(
        z.object({
          kid: z.string(),
          alg: AsymmetricJwsAlg,
          createdAt: z.number().int().describe("Epoch ms: published in the JWK Set from."),
          activatesAt: z.number().int().describe("Epoch ms: signs new tokens from."),
        }),
      )
      .describe("The new keys."),
    retiringKeys: z
      .array(
        z.object({
          kid: z.string(),
          alg: AsymmetricJwsAlg,
          retiresAt: z
            .number()
            .int()
            .describe(
              "Epoch ms: removed from the JWK Set from: when the last token it signed expires, or, when it still signs during the activation " +
                "delay, the new key's activation plus the longest lifetime it signs with. A token it signs meanwhile for longer moves this later.",
            ),
        }),
      )
      .describe("The previous keys of the same algorithms, published until they retire."),
  })
  .openapi("KeyRotationResponse");

const rotateRoute = createRoute({
  operationId: "serviceKeysRotate",
  method: "post",
  path: "/api/{serviceId}/service/keys/rotate",
  tags: ["Discovery"],
  summary: "[ext] Rotate the service's signing keys",
  description:
    "Generates new signing keys, publishes them at once and lets them sign from `activatesAt`; the previous keys stay in the JWK Set " +
    "until every token they signed has expired (each key records the latest expiry of what it signs). Needs MODIFY_SERVICE.",
  middleware: [authorize("MODIFY_SERVICE")],
  request: {
    params: z.object({ serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }) }),
    body: { required: false, content: { "application/json": { schema: KeyRotationRequest } } },
  },
  responses: {
    200: { description: "The new keys and the retirement of the old ones.", content: { "application/json": { schema: KeyRotationResponse } } },
    400: e400,
    401: e401,
    403: e403,
    404: e404,
    413: e413,
    415: e415,
    429: e429,
    500: e500,
  },
});

export function registerKeyRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(rotateRoute, async (c) => {
    const deps = c.get("deps");
    const { serviceId } = c.req.valid("param");
    const body = c.req.valid("json") ?? KeyRotationRequest.parse({});
    const service = await requireService(c, Number(serviceId));
    const rotation = await rotateSigningKeys(deps, service, body);
    deps.logger.info({ serviceId: service.apiKey, kids: rotation.keys.map((key) => key.kid) }, "signing keys rotated");
    return c.json({ ...resultBody("signingKeysRotated"), ...rotation }, 200);
  });
}
