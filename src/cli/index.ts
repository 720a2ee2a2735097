// Entry of the `tessera` command line: `npm run tessera -- <command>` or `bin/tessera.js <command>`.
import { exitQuietlyOnClosedPipe } from "./io.js";
import { runCli } from "./run-cli.js";

exitQuietlyOnClosedPipe();
// The exit code is set, not forced: a forced exit could cut off output still queued for a pipe,
// and `serve` must go on running after runCli resolves.
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
