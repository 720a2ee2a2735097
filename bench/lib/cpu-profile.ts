import { readFileSync } from "node:fs";

/**
 * Summarises a V8 `.cpuprofile` (written by `node --cpu-prof`): where the server's CPU time went,
 * by package (self time) and by function (self time, and inclusive time for Tessera's own code).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock (the clock of `process.hrtime`). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A window on the monotonic clock, microseconds (`process.hrtime.bigint() / 1000n`). */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Busy time (idle excluded), ms. */
  busyMs: number;
  byPackage: ProfileEntry[];
  /** Share of busy samples whose stack holds a frame of the package (a package calling into others counts whole). */
  byPackageInclusive: ProfileEntry[];
  bySelf: ProfileEntry[];
  tesseraInclusive: ProfileEntry[];
}

/** Which library or part of Node a frame belongs to. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith("node:internal/")) return `node:internal/${url.slice(14).split("/")[0]}`;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const source = tesseraSource(url);
  if (source) return `tessera ${source.split("/").slice(0, 3).join("/")}`;
  return url;
}

/** `src/…/file.ts` for a Tessera module, whether it ran from `dist/` (as `npm start` runs it) or from `src/`. */
function tesseraSource(url: string): string | null {
  if (url.includes("/node_modules/")) return null;
  const dist = url.indexOf("/dist/");
  if (dist >= 0) return `src/${url.slice(dist + 6).replace(/\.js$/, ".ts")}`;
  const src = url.indexOf("/src/");
  return src >= 0 ? url.slice(src + 1) : null;
}

function frameName(frame: CallFrame): string {
  const url = frame.url;
  const source = tesseraSource(url);
  const short = url.includes("/node_modules/") ? url.slice(url.lastIndexOf("/node_modules/") + 14) : (source ?? url.replace(/^file:\/\//, ""));
  // Line numbers of compiled Tessera files are not those of the source, so its functions go by file name.
  const where = !short ? "" : source ? short : `${short}:${frame.lineNumber + 1}`;
  return `${frame.functionName || "(anonymous)"} ${where}`.trim();
}

/**
 * With `window`, only samples taken inside it count (the measured run, without start-up and
 * warm-up); when the window does not overlap the profile at all, every sample counts.
 */
export function summariseProfile(path: string, window?: ProfileWindow, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const collect = (inside: (timestampUs: number) => boolean) => {
    const self = new Map<number, number>();
    let timestamp = profile.startTime;
    profile.samples.forEach((id, index) => {
      const delta = profile.timeDeltas[index] ?? 0;
      timestamp += delta;
      if (inside(timestamp)) self.set(id, (self.get(id) ?? 0) + delta);
    });
    return self;
  };
  let selfUs = window ? collect((t) => t >= window.fromUs && t <= window.toUs) : collect(() => true);
  if (selfUs.size === 0) selfUs = collect(() => true);
  const isIdle = (node: ProfileNode) => node.callFrame.functionName === "(idle)";
  let busyUs = 0;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || isIdle(node)) continue;
    busyUs += us;
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const name = frameName(node.callFrame);
    functions.set(name, (functions.get(name) ?? 0) + us);
  }

  // Inclusive time of Tessera's own functions: each sample counts once per distinct function on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  const packagesInclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const self = byId.get(id);
    if (!self || isIdle(self)) continue;
    const seenPackages = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const node = byId.get(current);
      if (!node) break;
      const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
      if (pkg.startsWith("(")) continue;
      seenPackages.add(pkg.startsWith("tessera ") ? `tessera ${pkg.split(" ")[1]?.split("/").slice(0, 2).join("/")}` : pkg);
    }
    for (const pkg of seenPackages) packagesInclusive.set(pkg, (packagesInclusive.get(pkg) ?? 0) + us);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const node = byId.get(current);
      if (!node) break;
      if (tesseraSource(node.callFrame.url) !== null) {
        const name = frameName(node.callFrame);
        if (!seen.has(name)) {
          seen.add(name);
          inclusive.set(name, (inclusive.get(name) ?? 0) + us);
        }
      }
    }
  }

  const rank = (map: Map<string, number>): ProfileEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs ? us / busyUs : 0 }));
  return {
    busyMs: busyUs / 1000,
    byPackage: rank(packages),
    byPackageInclusive: rank(packagesInclusive),
    bySelf: rank(functions),
    tesseraInclusive: rank(inclusive),
  };
}

export function renderProfile(title: string, summary: ProfileSummary): string {
  // Busy CPU is the sampled time inside the window, so it reads as seconds of CPU over the run.
  const table = (entries: ProfileEntry[]) =>
    ["| where | ms | share of busy CPU |", "|---|---:|---:|", ...entries.map((e) => `| \`${e.name}\` | ${e.ms.toFixed(0)} | ${(e.share * 100).toFixed(1)} % |`)].join("\n");
  return [
    `### ${title}`,
    "",
    `Busy CPU sampled in the measured window: ${(summary.busyMs / 1000).toFixed(1)} s of the main thread (idle excluded; work on libuv's thread pool, such as WebCrypto signing, is not in a V8 profile).`,
    "",
    "Self time by package:",
    "",
    table(summary.byPackage),
    "",
    "Samples whose call stack passes through each package (inclusive; async continuations start a new stack, so callers above an `await` are not counted):",
    "",
    table(summary.byPackageInclusive),
    "",
    "Top functions by self time:",
    "",
    table(summary.bySelf),
    "",
    "Tessera functions by inclusive time (the function and everything it called):",
    "",
    table(summary.tesseraInclusive),
    "",
  ].join("\n");
}
