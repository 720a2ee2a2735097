import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { GrantType } from "../domain/enums.js";
import { tracingLive } from "../logging/tracing.js";
import type { Store, TokenWrite } from "./ports.js";

/** What the metrics keep of one store method: bound once per method, so a call allocates no labels. */
export interface StoreMethodObserver {
  /** The call settled after `seconds`; `failed` when it threw or rejected. */
  settled(seconds: number, failed: boolean): void;
}

export interface StoreObservers {
  /** Null: no store metrics. */
  methodObserver: ((method: string) => StoreMethodObserver) | null;
  /** Access tokens written, by the grant type their details name (counted once the write succeeded). */
  tokensIssued: ((grantType: string) => void) | null;
  /** Null: no spans. */
  tracer: Tracer | null;
}

/** The counts a PostgreSQL pool keeps (pg.Pool has them), read when metrics are scraped. */
export interface PoolUse {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

const pools = new WeakMap<object, PoolUse>();

/** The PostgreSQL store tells which pool it runs on, so the pool gauges can read it without a port of its own. */
export function notePool(store: Store, pool: PoolUse): void {
  pools.set(store, pool);
}

export function poolOf(store: Store): PoolUse | undefined {
  return pools.get(store);
}

const grantTypes: ReadonlySet<string> = new Set(GrantType.options);

/** The grant type recorded in a token write's details, or `other` (the details are JSON owned by core; the label must stay bounded). */
function grantTypeOf(write: TokenWrite | undefined): string {
  const details = write?.accessToken.details;
  const grantType = typeof details === "object" && details !== null ? (details as { grantType?: unknown }).grantType : undefined;
  return typeof grantType === "string" && grantTypes.has(grantType) ? grantType : "other";
}

/** Every method of the store, own or inherited (the SQLite store installs its writes on the prototype). */
function methodNames(store: Store): string[] {
  const names = new Set<string>();
  for (let object: object | null = store; object !== null && object !== Object.prototype; object = Object.getPrototypeOf(object)) {
    for (const name of Object.getOwnPropertyNames(object)) {
      if (name === "constructor" || name === "close") continue;
      const descriptor = Object.getOwnPropertyDescriptor(object, name);
      if (descriptor && typeof descriptor.value === "function") names.add(name);
    }
  }
  return [...names];
}

type Method = (...args: unknown[]) => unknown;

/**
 * `store` with every call timed and, when a tracer is given, wrapped in a client span
 * (`db.system.name`, `db.operation.name`) under the active span when that one records (a sampled request). The server puts it below
 * the cache, so what it measures is the database: a read the cache answers costs neither a span
 * nor a sample. Successful token writes are counted per grant type here, where every issued
 * access token passes (saveTokens, or rotateRefreshToken when it rotated).
 */
export function observeStore(store: Store, observers: StoreObservers): Store {
  const { methodObserver, tokensIssued, tracer } = observers;
  if (methodObserver === null && tokensIssued === null && tracer === null) return store;
  const system = store.dialect === "postgres" ? "postgresql" : "sqlite";
  const wrapped = new Map<string | symbol, Method>();

  for (const name of methodNames(store)) {
    const observer = methodObserver?.(name) ?? null;
    const spanName = `store ${name}`;
    const spanOptions = {
      kind: SpanKind.CLIENT,
      attributes: { "db.system.name": system, "db.operation.name": name } satisfies Attributes,
    };
    const countTokens =
      tokensIssued === null
        ? null
        : name === "saveTokens"
          ? (args: unknown[]) => tokensIssued(grantTypeOf(args[0] as TokenWrite))
          : name === "rotateRefreshToken"
            ? (args: unknown[], result: unknown) => {
                if ((result as { outcome?: string } | null)?.outcome === "rotated") tokensIssued(grantTypeOf(args[3] as TokenWrite));
              }
            : null;

    const finish = (started: number, span: Span | undefined, error: unknown): void => {
      observer?.settled((performance.now() - started) / 1000, error !== undefined);
      if (span === undefined) return;
      if (error !== undefined) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    };

    wrapped.set(name, function observed(...args: unknown[]): unknown {
      // Looked up per call, so a method replaced on the adapter (a test's fault injection) is seen.
      const method = (store as unknown as Record<string, Method>)[name]!;
      // Only under a span that records: an unsampled request's database calls would otherwise start root spans of their own.
      const span = tracer !== null && tracingLive() && trace.getActiveSpan()?.isRecording() ? tracer.startSpan(spanName, spanOptions) : undefined;
      if (observer === null && span === undefined && countTokens === null) return method.apply(store, args);
      const started = performance.now();
      let result: unknown;
      try {
        result = method.apply(store, args);
      } catch (error) {
        finish(started, span, error ?? new Error("store call threw"));
        throw error;
      }
      if (!(result instanceof Promise)) {
        finish(started, span, undefined);
        return result;
      }
      return result.then(
        (value: unknown) => {
          finish(started, span, undefined);
          countTokens?.(args, value);
          return value;
        },
        (error: unknown) => {
          finish(started, span, error ?? new Error("store call rejected"));
          throw error;
        },
      );
    });
  }

  const observed = new Proxy(store, {
    get(target, property) {
      const method = wrapped.get(property);
      if (method !== undefined) return method;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as Method).bind(target) : value;
    },
  });
  const pool = pools.get(store);
  if (pool) pools.set(observed, pool);
  return observed;
}
