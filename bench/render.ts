import { readFileSync, writeFileSync } from "node:fs";
import { addRatios, type BenchReport, evaluateTargets, renderMarkdown } from "./lib/report.js";

/**
 * Re-renders `<results>.md` from `<results>.json` with the current report code (ratios, targets,
 * tables), e.g. after the report format changed: `npx tsx bench/render.ts [bench/results/latest]`.
 */
const base = process.argv[2] ?? "bench/results/latest";
const report = JSON.parse(readFileSync(`${base}.json`, "utf8")) as BenchReport;
for (const run of report.runs) {
  delete run.vsPeer;
  delete run.vsCeiling;
}
addRatios(report.runs);
const { targets: _old, ...rest } = report;
const rendered: BenchReport = { ...rest, targets: evaluateTargets(rest) };
writeFileSync(`${base}.json`, `${JSON.stringify(rendered, null, 2)}\n`);
writeFileSync(`${base}.md`, renderMarkdown(rendered));
process.stderr.write(`re-rendered ${base}.md\n`);
