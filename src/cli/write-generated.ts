import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CliIo } from "./io.js";

/**
 * Output of the generated-file commands: standard output unless a path is given (`-` also means
 * standard output), so running one to look at it never overwrites a tracked file.
 */
export function writeGenerated(text: string, file: string | undefined, io: Pick<CliIo, "out">): void {
  if (file === undefined || file === "-") {
    io.out(text);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  io.out(`Wrote ${file}\n`);
}
