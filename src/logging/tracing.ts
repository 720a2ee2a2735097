import { ProxyTracerProvider, type Tracer, type TracerProvider, isSpanContextValid, trace } from "@opentelemetry/api";

/** The instrumentation scope of every span Tessera opens. */
export const tracerName = "tessera";

/** What the API's global provider delegates to before an SDK registers one. */
const noopProvider: TracerProvider = new ProxyTracerProvider().getDelegate();

/**
 * True once an OpenTelemetry SDK has registered a tracer provider. Until then every span would be
 * a non-recording placeholder, so the hot paths ask this first and skip span work entirely; it is
 * asked per request rather than once, because an SDK may register after Tessera started (a test,
 * or an application embedding Tessera). A provider from another copy of the API counts as live:
 * that costs the placeholder spans, never a lost one.
 */
export function tracingLive(): boolean {
  const provider = trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  return provider.getDelegate === undefined || provider.getDelegate() !== noopProvider;
}

/** Tessera's tracer: a proxy the API hands over to whatever provider is registered, now or later. */
export function tesseraTracer(): Tracer {
  return trace.getTracer(tracerName);
}

/**
 * Fields of a log line written while a span is active: its trace and span ids (W3C hex), so a log
 * line leads to its trace. Nothing without an SDK (no span is ever active then). A new object each
 * time: pino merges the line's own fields into it.
 */
export function activeTraceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId, trace_flags: context.traceFlags.toString(16).padStart(2, "0") };
}
