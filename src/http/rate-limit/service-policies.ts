import type { RateLimitCategory, RateLimitPolicy, ServiceRateLimits } from "../../domain/rate-limits.js";
import type { Store } from "../../storage/ports.js";

/** How long a service's `rateLimits` are reused before the service is read again. */
export const SERVICE_POLICY_TTL_MS = 10_000;
const MAX_CACHED_SERVICES = 10_000;

interface Cached {
  limits: ServiceRateLimits | null;
  expiresAt: number;
}

/**
 * The quota that applies to a request: the service's own `rateLimits` entry for the category, or
 * the server-wide default. Services are read at most once per `SERVICE_POLICY_TTL_MS` per node, so
 * the limiter adds no database read to the hot path; a change to `rateLimits` takes effect within
 * that time on every node.
 */
export class ServicePolicies {
  readonly #cache = new Map<number, Cached>();

  constructor(
    private readonly defaults: Readonly<Record<RateLimitCategory, RateLimitPolicy>>,
    private readonly store: Pick<Store, "getService">,
    private readonly now: () => number,
  ) {}

  async policyFor(serviceId: number | null, category: RateLimitCategory): Promise<RateLimitPolicy> {
    if (serviceId === null) return this.defaults[category];
    const limits = await this.#limitsOf(serviceId);
    return limits?.[category] ?? this.defaults[category];
  }

  async #limitsOf(serviceId: number): Promise<ServiceRateLimits | null> {
    const now = this.now();
    const cached = this.#cache.get(serviceId);
    if (cached !== undefined && cached.expiresAt > now) return cached.limits;
    const service = await this.store.getService(serviceId);
    const limits = service?.rateLimits ?? null;
    if (this.#cache.size >= MAX_CACHED_SERVICES) this.#cache.clear();
    this.#cache.set(serviceId, { limits, expiresAt: now + SERVICE_POLICY_TTL_MS });
    return limits;
  }
}
