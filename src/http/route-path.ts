/** A hono route template as the OpenAPI document writes it: `/api/:serviceId/auth/token` → `/api/{serviceId}/auth/token`. */
export function openApiPathOf(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}
