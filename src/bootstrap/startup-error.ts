import { ConfigError } from "../config/schema.js";

/**
 * A start that failed for an operational reason the operator can fix (database unreachable, key
 * file not writable, port taken). The CLI prints the message alone; the cause stays attached for
 * debugging.
 */
export class StartupError extends Error {}

/** Runs `step`, turning what it throws into a StartupError that says what was being done (ConfigErrors pass as they are). */
export async function duringStartup<T>(what: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof StartupError || error instanceof ConfigError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`${what}: ${reason}`, { cause: error });
  }
}
