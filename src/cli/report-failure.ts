import { StartupError } from "../bootstrap/startup-error.js";
import { ConfigError } from "../config/schema.js";

/**
 * Ends a command that failed. A configuration or startup problem is the operator's to fix: print
 * the message (it names the setting or what could not be done) without a stack trace. Anything
 * else is unexpected and keeps its stack.
 */
export function reportFailure(error: unknown): never {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`tessera: ${error.message}\n`);
  } else {
    process.stderr.write(`tessera: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}
