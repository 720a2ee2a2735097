import type { ResultCodeName } from "../result-codes.js";

/**
 * A management call that cannot be done as asked (unknown object, invalid settings). Core throws it
 * with the registry name of its result code; the HTTP layer answers with that code's status and body.
 */
export class ManagementError extends Error {
  readonly args: Array<string | number>;

  constructor(
    readonly code: ResultCodeName,
    ...args: Array<string | number>
  ) {
    super(`${code}: ${args.join(" ")}`);
    this.args = args;
  }
}
