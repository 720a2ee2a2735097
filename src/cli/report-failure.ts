import { StartupError } from "../bootstrap/startup-error.js";
import { ConfigError } from "../config/schema.js";
import { CommandFailure } from "./usage-error.js";

/**
 * What to print for a command that failed. Configuration, startup and API problems are the
 * operator's to fix, and their message names the setting or the call. Anything else is
 * unexpected: its stack is printed only with TESSERA_LOG_LEVEL=debug (or trace), so an operator
 * sees one line and a developer can still get the trace.
 */
export function describeFailure(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (error instanceof ConfigError || error instanceof StartupError || error instanceof CommandFailure) return `tessera: ${error.message}\n`;
  const verbose = env.TESSERA_LOG_LEVEL === "debug" || env.TESSERA_LOG_LEVEL === "trace";
  if (error instanceof Error) return `tessera: ${verbose ? (error.stack ?? error.message) : error.message}\n`;
  return `tessera: ${String(error)}\n`;
}

/** Ends a process whose command failed (`npm start`), with status 1. */
export function reportFailure(error: unknown): never {
  process.stderr.write(describeFailure(error));
  process.exit(1);
}
