// Loaded with `node --import` into Tessera by `npm run bench -- --observability` and by the bench's observability
// phase: what an operator's OpenTelemetry SDK registration does, with an exporter that drops the spans once
// batched, so the bench measures Tessera's instrumentation and the SDK's span handling rather than a
// collector's network. The sampler is the SDK's default (every request) unless OTEL_TRACES_SAMPLER and
// OTEL_TRACES_SAMPLER_ARG say otherwise. The queue is large enough that no span is dropped before export.
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode, W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

let exported = 0;
const discard = {
  export(spans, done) {
    exported += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  },
  async shutdown() {},
  async forceFlush() {},
};

const provider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(discard, { maxQueueSize: 200_000, maxExportBatchSize: 20_000, scheduledDelayMillis: 500 })],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);
process.once("exit", () => process.stderr.write(`bench OpenTelemetry SDK: ${exported} spans exported\n`));
