import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { revokeSigningKey } from "../../../core/keys/revoke-key.js";
import { DEFAULT_ACTIVATION_DELAY_SECONDS, rotateSigningKeys } from "../../../core/keys/rotate-keys.js";
import { resultBody } from "../../../core/result-codes.js";
import { ServiceKeyAlg } from "../../../domain/enums.js";
import { authorize } from "../../auth.js";
import type { AppEnv } from "../../env.js";
import { commonErrorResponses } from "../../errors.js";
import { ServiceIdParam } from "../../runtime-operation.js";
import { requireService } from "./runtime-support.js";

const KeyRotationRequest = z
  .object({
    alg: z
      .union([ServiceKeyAlg, z.literal("ALL")])
      .default("ALL")
      .describe("The algorithm whose key is replaced (one the service has no key for gets its first), or ALL (default) for every algorithm the service holds keys for."),
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

const NewSigningKey = z
  .object({
    kid: z.string(),
    alg: ServiceKeyAlg,
    createdAt: z.number().int().describe("Epoch ms: published in the JWK Set from."),
    activatesAt: z.number().int().describe("Epoch ms: signs new tokens from."),
  })
  .openapi("NewSigningKey");

const KeyRotationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    keys: z.array(NewSigningKey).describe("The new keys."),
    retiringKeys: z
      .array(
        z.object({
          kid: z.string(),
          alg: ServiceKeyAlg,
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
  middleware: [authorize("MODIFY_SERVICE", "management")],
  request: {
    params: z.object({ serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }) }),
    body: { required: false, content: { "application/json": { schema: KeyRotationRequest } } },
  },
  responses: {
    200: { description: "The new keys and the retirement of the old ones.", content: { "application/json": { schema: KeyRotationResponse } } },
    ...commonErrorResponses,
  },
});

const KeyRevocationRequest = z
  .object({ kid: z.string().min(1).max(200).describe("The `kid` of the service's key to revoke, as in the JWK Set or a token's header.") })
  .strict()
  .openapi("KeyRevocationRequest");

const KeyRevocationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    kid: z.string(),
    alg: ServiceKeyAlg,
    revokedAt: z.number().int().describe("Epoch ms: revoked at (the first revocation's time when the key was revoked before)."),
    replacement: NewSigningKey.nullable().describe(
      "The key generated to sign from now on when the revoked key was the one signing for its algorithm; otherwise null.",
    ),
  })
  .openapi("KeyRevocationResponse");

const revokeRoute = createRoute({
  operationId: "serviceKeysRevoke",
  method: "post",
  path: "/api/{serviceId}/service/keys/revoke",
  tags: ["Discovery"],
  summary: "[ext] Revoke a signing key (compromise)",
  description:
    "Removes the key from the JWK Set at once and never signs with it again; JWT access tokens it signed are inactive at introspection " +
    "and UserInfo, and ID tokens it signed are refused as id_token_hint. When it was the key signing for its algorithm, a new key " +
    "signs from now on. Needs MODIFY_SERVICE.",
  middleware: [authorize("MODIFY_SERVICE", "management")],
  request: {
    params: z.object({ serviceId: ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } }) }),
    body: { required: true, content: { "application/json": { schema: KeyRevocationRequest } } },
  },
  responses: {
    200: { description: "The key is revoked.", content: { "application/json": { schema: KeyRevocationResponse } } },
    ...commonErrorResponses,
  },
});

export function registerKeyRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(rotateRoute, async (c) => {
    const deps = c.get("deps");
    const { serviceId } = c.req.valid("param");
    const body = c.req.valid("json") ?? KeyRotationRequest.parse({});
    const service = await requireService(c, Number(serviceId));
    const rotation = await rotateSigningKeys(deps, service, body);
    deps.logger.info({ serviceId: service.serviceId, kids: rotation.keys.map((key) => key.kid) }, "signing keys rotated");
    return c.json({ ...resultBody("signingKeysRotated"), ...rotation }, 200);
  });

  app.openapi(revokeRoute, async (c) => {
    const deps = c.get("deps");
    const { serviceId } = c.req.valid("param");
    const { kid } = c.req.valid("json");
    const service = await requireService(c, Number(serviceId));
    const revoked = await revokeSigningKey(deps, service, kid);
    deps.logger.warn({ serviceId: service.serviceId, kid, replacement: revoked.replacement?.kid ?? null }, "signing key revoked");
    return c.json({ ...resultBody("signingKeyRevoked", kid), ...revoked }, 200);
  });
}
