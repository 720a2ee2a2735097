/** A step lost a race to another connection that SQLite did not report as a lock refusal: retried like one. */
export class LostRaceError extends Error {
  constructor(cause: unknown) {
    super("another connection changed the database meanwhile", { cause });
  }
}

/** True for SQLite's refusal of a lock another connection holds, also when drizzle wrapped it (`cause`). */
function isLockRefused(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof LostRaceError) return true;
    const code = (current as { code?: unknown }).code;
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") return true;
  }
  return false;
}

/**
 * Runs `step` again while SQLite refuses it a lock, for up to `waitMs`: for start-up steps that
 * SQLite refuses at once instead of waiting (busy_timeout) because waiting could deadlock, such as
 * upgrading a read transaction to a write or switching a new file to WAL while another process
 * does. Blocks the thread between tries, so only for start-up. Any other failure is thrown at once.
 */
export function retryWhileLocked<T>(step: () => T, waitMs: number): T {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return step();
    } catch (error) {
      if (!isLockRefused(error) || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(20 * attempt, 200));
    }
  }
}
