import { readFileSync } from "node:fs";

/**
 * CPU time and memory of a server process read from Linux procfs, so the figures belong to the
 * measured server alone (the load generator runs in the bench process on the same machine).
 */

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux kernel configuration we run on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of the process, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces; every later field follows the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the name: state is index 0, so utime (field 14) is index 11 and stime (field 15) index 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

export interface MemoryStats {
  /** Resident set size now, MB. */
  rssMb: number;
  /** Peak resident set size since the process started (VmHWM), MB. */
  peakRssMb: number;
}

export function memoryStats(pid: number): MemoryStats {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : Number.NaN;
  };
  return { rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
}

/** Samples a process's CPU over a window: call `stop()` at the end to get the average cores used. */
export function startCpuWindow(pid: number): { stop(): { cpuSeconds: number; coresUsed: number } } {
  const startCpu = cpuSeconds(pid);
  const startWall = performance.now();
  return {
    stop() {
      const used = cpuSeconds(pid) - startCpu;
      const wall = (performance.now() - startWall) / 1000;
      return { cpuSeconds: used, coresUsed: wall > 0 ? used / wall : 0 };
    },
  };
}
