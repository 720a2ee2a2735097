import { ConfigError } from "../config/schema.js";

/**
 * Ends a command that failed. A configuration problem is the operator's to fix: print the message
 * (it names the setting) without a stack trace. Anything else is unexpected and keeps its stack.
 */
export function reportFailure(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`tessera: ${error.message}\n`);
  } else if (isAddressInUse(error)) {
    process.stderr.write(`tessera: ${error.message}. Set TESSERA_PORT to a free port.\n`);
  } else {
    process.stderr.write(`tessera: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}

function isAddressInUse(error: unknown): error is Error {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === "EADDRINUSE";
}
