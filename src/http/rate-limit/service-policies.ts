import {
  isWithinCeiling,
  type RateLimitCategory,
  type RateLimitCeilings,
  type RateLimitPolicy,
  type ServiceRateLimits,
} from "../../domain/rate-limits.js";
import type { Store } from "../../storage/ports.js";

/** How long a service's `rateLimits` are reused before the service is read again. */
export const SERVICE_POLICY_TTL_MS = 10_000;
const MAX_CACHED_SERVICES = 10_000;

interface Cached {
  limits: ServiceRateLimits | null;
  expiresAt: number;
}

/**
 * The quota that applies to a request: the service's own `rateLimits` entry for the category when
 * it is within the operator's ceiling, otherwise the operator's quota. Service settings are checked
 * against the ceilings when stored; the check is repeated here because the operator may lower a
 * ceiling later. Services are read at most once per `SERVICE_POLICY_TTL_MS` per node, so the
 * limiter adds no database read to the hot path; a change to `rateLimits` takes effect within that
 * time on every node.
 */
export class ServicePolicies {
  readonly #cache = new Map<number, Cached>();

  constructor(
    /** The operator's quotas: the default of every service and the most one may allow. */
    readonly ceilings: RateLimitCeilings,
    private readonly store: Pick<Store, "getService">,
    private readonly now: () => number,
  ) {}

  /** `serviceId` null: the operator's quota (admin calls, and calls outside any service). */
  async policyFor(serviceId: number | null, category: RateLimitCategory): Promise<RateLimitPolicy> {
    const ceiling = this.ceilings[category];
    if (serviceId === null) return ceiling;
    const own = (await this.#limitsOf(serviceId))?.[category];
    return own !== undefined && isWithinCeiling(own, ceiling) ? own : ceiling;
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
