import { execFileSync } from "node:child_process";
import { cpus, release, totalmem } from "node:os";

export interface MachineInfo {
  node: string;
  v8: string;
  openssl: string;
  kernel: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  gitCommit: string | null;
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl ?? "unknown",
    kernel: release(),
    cpuModel: cpuList[0]?.model ?? "unknown",
    cores: cpuList.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    gitCommit: gitCommit(),
  };
}
