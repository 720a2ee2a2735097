import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("logger", () => {
  it("redacts secrets at the top level and one level down", () => {
    const { stream, text } = capture();
    const logger = createLogger("info", stream as unknown as Parameters<typeof createLogger>[1]);
    logger.info(
      {
        req: { headers: { authorization: "Bearer api-token-1", cookie: "session=cookie-1", "user-agent": "curl" } },
        clientSecret: "client-secret-1",
        body: { client_secret: "client-secret-2", parameters: "code=code-1&code_verifier=verifier-1", password: "password-1" },
        token: "token-1",
        result: { accessToken: "access-1", refreshToken: "refresh-1", privateKey: "private-1" },
        serviceId: 42,
      },
      "handled",
    );
    const out = text();
    for (const secret of ["api-token-1", "cookie-1", "client-secret-1", "client-secret-2", "code-1", "verifier-1", "password-1", "token-1", "access-1", "refresh-1", "private-1"]) {
      expect(out).not.toContain(secret);
    }
    const line = JSON.parse(out) as Record<string, unknown>;
    expect(line.serviceId).toBe(42);
    expect(line.msg).toBe("handled");
    expect(line.clientSecret).toBe("[redacted]");
    expect((line.req as { headers: Record<string, string> }).headers["user-agent"]).toBe("curl");
  });

  it("honours the level", () => {
    const { stream, text } = capture();
    const logger = createLogger("warn", stream as unknown as Parameters<typeof createLogger>[1]);
    logger.info("quiet");
    logger.warn("loud");
    expect(text()).not.toContain("quiet");
    expect(text()).toContain("loud");
  });
});
