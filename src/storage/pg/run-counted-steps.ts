import type { TokenStatementStep } from "../token-management.js";
import type { PgContext, Querier } from "./pg-context.js";

/** Runs the steps in order on `client` (a transaction's connection) and sums the rows changed by the counted ones. */
export async function runCountedSteps(run: PgContext["run"], steps: TokenStatementStep[], client: Querier): Promise<number> {
  let counted = 0;
  for (const step of steps) {
    const changed = await run(step.name, step.values, client);
    if (step.counted) counted += changed;
  }
  return counted;
}
