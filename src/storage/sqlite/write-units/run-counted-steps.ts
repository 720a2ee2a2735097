import type { TokenStatementStep } from "../../token-management.js";
import type { SqliteStatements } from "../sqlite-statements.js";

/** Runs the steps in order (inside the write unit's transaction) and sums the rows changed by the counted ones. */
export function runCountedSteps(statements: SqliteStatements, steps: TokenStatementStep[]): number {
  let counted = 0;
  for (const step of steps) {
    const changed = statements.run(step.name, ...step.values);
    if (step.counted) counted += changed;
  }
  return counted;
}
