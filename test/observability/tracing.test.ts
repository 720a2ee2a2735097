import { Writable } from "node:stream";
import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";
import { type ObservedServer, type Tenant, createTenant, runtime, startObserved, tokenRequest } from "./support.js";

/** What a user's SDK registration does (NodeSDK or their own), with spans kept in memory. */
function registerSdk(exporter: InMemorySpanExporter): () => void {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return () => {
    trace.disable();
    propagation.disable();
    context.disable();
  };
}

describe("tracing through @opentelemetry/api with an SDK registered", () => {
  const exporter = new InMemorySpanExporter();
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let unregister: () => void;
  let server: ObservedServer;
  let tenant: Tenant;

  beforeAll(async () => {
    unregister = registerSdk(exporter);
    // One failed client authentication per window, so the second failure logs a warning inside the request.
    server = await startObserved({ TESSERA_BRUTE_FORCE_MAX_FAILURES: "1" }, createLogger("warn", sink as never));
    tenant = await createTenant(server.running.url);
  });
  afterAll(async () => {
    await server.stop();
    unregister();
  });

  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const callerSpanId = "00f067aa0ba902b7";
  const spansOf = (id: string) => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === id);

  it("records nothing for a request its caller did not sample: no server span, and no database span starting a trace of its own", async () => {
    exporter.reset();
    const { json } = await runtime(server.running.url, tenant, "/auth/token", tokenRequest(tenant), {
      traceparent: `00-${"5".repeat(32)}-${callerSpanId}-00`,
    });
    expect(json.action).toBe("OK");
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("continues the caller's trace with a server span per operation and client spans per database call", async () => {
    exporter.reset();
    const { json } = await runtime(server.running.url, tenant, "/auth/token", tokenRequest(tenant), {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    });
    expect(json.action).toBe("OK");
    const spans = spansOf(traceId);
    const operation = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(operation).toBeDefined();
    expect(operation!.name).toBe("POST /api/{serviceId}/auth/token");
    expect(operation!.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(operation!.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/api/{serviceId}/auth/token",
      "http.response.status_code": 200,
      "tessera.operation": "tokenProcess",
      "tessera.action": "OK",
    });
    const operationSpanId = operation!.spanContext().spanId;
    const storeSpans = spans.filter((span: ReadableSpan) => span.kind === SpanKind.CLIENT);
    const save = storeSpans.find((span) => span.name === "store saveTokens");
    expect(save).toBeDefined();
    expect(save!.attributes).toMatchObject({ "db.system.name": "sqlite", "db.operation.name": "saveTokens" });
    for (const span of storeSpans) expect(span.parentSpanContext?.spanId).toBe(operationSpanId);
  });

  it("starts a new trace when the caller sends no traceparent", async () => {
    exporter.reset();
    await runtime(server.running.url, tenant, "/auth/introspection", { token: "unknown" }, { "x-request-id": "trace-me" });
    const [operation] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    expect(operation!.parentSpanContext).toBeUndefined();
    expect(operation!.attributes["tessera.request_id"]).toBe("trace-me");
  });

  it("writes the trace and span ids into log lines written during the request", async () => {
    const otherTrace = "0af7651916cd43dd8448eb211c80319c";
    for (let attempt = 0; attempt < 2; attempt++) {
      const { json } = await runtime(server.running.url, tenant, "/auth/token", tokenRequest(tenant, "wrong-secret"), {
        traceparent: `00-${otherTrace}-b7ad6b7169203331-01`,
      });
      expect(json.action).toBe("INVALID_CLIENT");
    }
    const warning = lines.find((line) => line.msg === "client authentication failing repeatedly: possible guessing");
    expect(warning).toBeDefined();
    expect(warning!.trace_id).toBe(otherTrace);
    // The second attempt's operation span: the one the warning was written in.
    const operations = spansOf(otherTrace).filter((span) => span.kind === SpanKind.SERVER && span.attributes["tessera.action"] === "INVALID_CLIENT");
    expect(operations).toHaveLength(2);
    expect(warning!.span_id).toBe(operations[1]!.spanContext().spanId);
    expect(warning!.trace_flags).toBe("01");
  });
});

describe("tracing without an SDK", () => {
  it("opens no spans and writes no trace fields", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const server = await startObserved({ TESSERA_BRUTE_FORCE_MAX_FAILURES: "1" }, createLogger("warn", sink as never));
    try {
      const tenant = await createTenant(server.running.url);
      expect(trace.getActiveSpan()).toBeUndefined();
      for (let attempt = 0; attempt < 2; attempt++) {
        await runtime(server.running.url, tenant, "/auth/token", tokenRequest(tenant, "wrong-secret"), {
          traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        });
      }
      const warning = lines.find((line) => line.includes("possible guessing"));
      expect(warning).toBeDefined();
      expect(warning).not.toContain("trace_id");
    } finally {
      await server.stop();
    }
  });
});
