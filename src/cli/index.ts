// Entry of the `tessera` command line: `npm run tessera -- <command>` or `bin/tessera.js <command>`.
import { reportFailure } from "./report-failure.js";
import { runCli, usage } from "./run-cli.js";
import { UsageError } from "./usage-error.js";

runCli(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`tessera: ${error.message}\n\n${usage}`);
    process.exit(2);
  }
  reportFailure(error);
});
