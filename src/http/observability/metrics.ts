import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { type CacheStats, cacheNames, newCacheStats } from "../../storage/caching-store.js";
import type { StoreMethodObserver, StoreObservers } from "../../storage/observed-store.js";
import { type PoolUse, poolOf } from "../../storage/observed-store.js";
import type { Store } from "../../storage/ports.js";
import { WorkerThreadWriter } from "../../storage/sqlite/worker-thread-writer.js";
import { type TalliedCount, type TalliedDistribution, TalliedHistogram, talliedCounter } from "./tallied-metrics.js";

/** Label value of an answer without an `action` (management calls, errors, health, docs). */
export const noAction = "none";

/** Label value of a request no route matched. */
export const unmatchedRoute = "unmatched";

/** Sub-millisecond to seconds: the runtime calls answer in well under a millisecond of Tessera's own time on a cached read. */
const requestBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const storeBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** The counter and histogram series of one operation, status and action, made once. */
export interface RequestSeries {
  readonly requests: TalliedCount;
  readonly duration: TalliedDistribution;
  /** Set for INVALID_CLIENT answers only. */
  readonly clientAuthFailure: TalliedCount | null;
}

/** One route of one method: its labels, and its series per status and action. */
export class RouteMetrics {
  readonly #byStatus = new Map<number, Map<string, RequestSeries>>();

  constructor(
    readonly operation: string,
    readonly route: string,
    readonly method: string,
    private readonly metrics: TesseraMetrics,
  ) {}

  /** The series of one outcome: two map lookups once the outcome has been seen. */
  series(status: number, action: string): RequestSeries {
    let byAction = this.#byStatus.get(status);
    if (byAction === undefined) {
      byAction = new Map();
      this.#byStatus.set(status, byAction);
    }
    let series = byAction.get(action);
    if (series === undefined) {
      series = this.metrics.newRequestSeries(this, status, action);
      byAction.set(action, series);
    }
    return series;
  }
}

/**
 * Every metric Tessera exposes, in a registry of its own (so several servers in one process, as
 * in the tests, never collide). The hot paths count into series made once per label set and kept
 * as plain numbers (tallied-metrics.ts, and the caches' counts), or state read only when scraped
 * (pools, writer queue): a request allocates no labels and hashes none. docs/metrics.md describes
 * each metric.
 */
export class TesseraMetrics {
  readonly registry = new Registry();
  /** Handed to the caching store, which counts into it; exported when scraped. */
  readonly cacheStats: CacheStats = newCacheStats();

  readonly #requests: (labels: Record<"operation" | "method" | "route" | "status" | "action", string>) => TalliedCount;
  readonly #requestDuration: TalliedHistogram<"operation" | "action">;
  readonly #clientAuthFailures: (labels: Record<"operation", string>) => TalliedCount;
  readonly #apiAuthFailures: TalliedCount;
  readonly #rateLimitRefusals: (labels: Record<"limit", string>) => TalliedCount;
  readonly #tokensIssued: (labels: Record<"grant_type", string>) => TalliedCount;
  readonly #storeDuration: TalliedHistogram<"method">;
  readonly #storeErrors: (labels: Record<"method", string>) => TalliedCount;
  readonly #routes = new Map<string, Map<string, RouteMetrics>>();
  readonly #refusals = new Map<string, TalliedCount>();
  readonly #grantTypes = new Map<string, TalliedCount>();
  readonly #pools: PoolUse[] = [];

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#requests = talliedCounter({
      name: "tessera_http_requests_total",
      help: "HTTP requests answered, by operation, route template, method, status and the action of runtime answers.",
      labelNames: ["operation", "method", "route", "status", "action"],
      registers,
    });
    this.#requestDuration = new TalliedHistogram({
      name: "tessera_http_request_duration_seconds",
      help: "Time from routing to the response, by operation and action.",
      labelNames: ["operation", "action"],
      buckets: requestBuckets,
      registers,
    });
    this.#clientAuthFailures = talliedCounter({
      name: "tessera_client_authentication_failures_total",
      help: "Runtime answers with action INVALID_CLIENT (failed client authentication), by operation.",
      labelNames: ["operation"],
      registers,
    });
    this.#apiAuthFailures = talliedCounter({
      name: "tessera_api_authentication_failures_total",
      help: "API calls with a missing or unknown API token.",
      labelNames: [],
      registers,
    })({});
    this.#rateLimitRefusals = talliedCounter({
      name: "tessera_rate_limit_refusals_total",
      help: "Requests refused by a rate or brute-force limit, by limit.",
      labelNames: ["limit"],
      registers,
    });
    this.#tokensIssued = talliedCounter({
      name: "tessera_tokens_issued_total",
      help: "Access tokens issued (written), by grant type.",
      labelNames: ["grant_type"],
      registers,
    });
    this.#storeDuration = new TalliedHistogram({
      name: "tessera_store_call_duration_seconds",
      help: "Database calls (store methods the cache did not answer), by method.",
      labelNames: ["method"],
      buckets: storeBuckets,
      registers,
    });
    this.#storeErrors = talliedCounter({
      name: "tessera_store_call_errors_total",
      help: "Database calls that failed, by method.",
      labelNames: ["method"],
      registers,
    });

    const stats = this.cacheStats;
    new Counter({
      name: "tessera_cache_lookups_total",
      help: "Reads of the in-memory cache in front of the database, by cache and result (hit or miss).",
      labelNames: ["cache", "result"],
      registers,
      collect() {
        this.reset();
        for (const name of cacheNames) {
          const { lookups, misses } = stats[name];
          this.inc({ cache: name, result: "hit" }, lookups - misses);
          this.inc({ cache: name, result: "miss" }, misses);
        }
      },
    });
    const pools = this.#pools;
    new Gauge({
      name: "tessera_db_pool_connections",
      help: "PostgreSQL pool connections, by state (idle or busy).",
      labelNames: ["state"],
      registers,
      collect() {
        let idle = 0;
        let total = 0;
        for (const pool of pools) {
          idle += pool.idleCount;
          total += pool.totalCount;
        }
        this.set({ state: "idle" }, idle);
        this.set({ state: "busy" }, total - idle);
      },
    });
    new Gauge({
      name: "tessera_db_pool_waiting_requests",
      help: "Queries waiting for a PostgreSQL pool connection.",
      registers,
      collect() {
        let waiting = 0;
        for (const pool of pools) waiting += pool.waitingCount;
        this.set(waiting);
      },
    });
    new Gauge({
      name: "tessera_sqlite_writer_queue_depth",
      help: "Writes waiting for the SQLite writer thread (queued) and in the batches it is committing (committing).",
      labelNames: ["state"],
      registers,
      collect() {
        const depth = WorkerThreadWriter.queueDepth();
        this.set({ state: "queued" }, depth.queued);
        this.set({ state: "committing" }, depth.committing);
      },
    });
  }

  /** The metrics of a route template under one method, made on its first request. */
  route(route: string, method: string, operationOf: (method: string, route: string) => string): RouteMetrics {
    let byMethod = this.#routes.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.#routes.set(route, byMethod);
    }
    let metrics = byMethod.get(method);
    if (metrics === undefined) {
      metrics = new RouteMetrics(operationOf(method, route), route, method, this);
      byMethod.set(method, metrics);
    }
    return metrics;
  }

  newRequestSeries(route: RouteMetrics, status: number, action: string): RequestSeries {
    const { operation } = route;
    return {
      requests: this.#requests({ operation, method: route.method, route: route.route, status: String(status), action }),
      duration: this.#requestDuration.series({ operation, action }),
      clientAuthFailure: action === "INVALID_CLIENT" ? this.#clientAuthFailures({ operation }) : null,
    };
  }

  apiAuthenticationFailed(): void {
    this.#apiAuthFailures.inc();
  }

  /** One refusal by `limit` (a bounded set: see docs/metrics.md). */
  refused(limit: string): void {
    let child = this.#refusals.get(limit);
    if (child === undefined) {
      child = this.#rateLimitRefusals({ limit });
      this.#refusals.set(limit, child);
    }
    child.inc();
  }

  /** The hooks of the store wrapper (observed-store.ts). */
  storeObservers(): Pick<StoreObservers, "methodObserver" | "tokensIssued"> {
    return {
      methodObserver: (method: string): StoreMethodObserver => {
        // Made on the first call, so a method never called shows no series.
        let duration: TalliedDistribution | undefined;
        let errors: TalliedCount | undefined;
        return {
          settled: (seconds, failed) => {
            duration ??= this.#storeDuration.series({ method });
            duration.observe(seconds);
            if (failed) {
              errors ??= this.#storeErrors({ method });
              errors.inc();
            }
          },
        };
      },
      tokensIssued: (grantType: string) => {
        let child = this.#grantTypes.get(grantType);
        if (child === undefined) {
          child = this.#tokensIssued({ grant_type: grantType });
          this.#grantTypes.set(grantType, child);
        }
        child.inc();
      },
    };
  }

  /** Reads the pool gauges from `store` when it runs on PostgreSQL. */
  watchStore(store: Store): void {
    const pool = poolOf(store);
    if (pool !== undefined && !this.#pools.includes(pool)) this.#pools.push(pool);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
