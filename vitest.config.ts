import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine. The
    // suite waits on sockets, child processes and PostgreSQL as much as it computes, so two overlap well.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
