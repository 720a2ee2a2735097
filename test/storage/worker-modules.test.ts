import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const sourceRoot = new URL("../../src/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe("worker threads", () => {
  it("start only through startWorker, from a module file that is type-checked and linted, never from a source string", () => {
    const files = sourceFiles(sourceRoot).map((path) => ({ name: relative(sourceRoot, path), text: readFileSync(path, "utf8") }));
    expect(files.filter((file) => file.text.includes("new Worker(")).map((file) => file.name)).toEqual(["storage/sqlite/start-worker.ts"]);
    expect(files.filter((file) => /\beval:\s*true\b/.test(file.text)).map((file) => file.name)).toEqual([]);
  });
});
