// Dispatches a `tessera` command; kept apart from the entry file so tests can call it. Each
// command is loaded on demand, so `openapi` or `result-codes` never load a database driver.
import { UsageError } from "./usage-error.js";

export const usage = `Usage: tessera <command> [arguments]

Commands:
  serve                 Run the API (the same as npm start). Stops gracefully on SIGTERM/SIGINT.
  migrate               Apply pending database migrations to TESSERA_DATABASE_URL and exit.
  openapi [file|-]      Write the OpenAPI document (default openapi/openapi.json; - for stdout).
  janitor [batchSize]   Delete expired tickets, codes, tokens and assertion ids (default batches of 1000).
  config-docs [file]    Write the configuration reference (default docs/configuration.md).
  result-codes [file]   Write the result code reference (default docs/result-codes.md).
  compat-docs [file]    Write the Authlete compatibility page (default docs/authlete-compatibility.md).
  help                  Show this text.

Settings come from environment variables; see docs/configuration.md.
`;

/** Runs one command; resolves when it is done (serve keeps running until a signal). */
export async function runCli(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case "serve":
      return (await import("./commands/serve.js")).serveCommand();
    case "migrate":
      return (await import("./commands/migrate.js")).migrateCommand();
    case "openapi":
      return (await import("./commands/openapi.js")).openapiCommand(args);
    case "janitor":
      await (await import("./commands/janitor.js")).janitorCommand(args);
      return;
    case "config-docs":
      return (await import("./commands/config-docs.js")).configDocsCommand(args);
    case "result-codes":
      return (await import("./commands/result-codes-docs.js")).resultCodesCommand(args);
    case "compat-docs":
      return (await import("./commands/compat-docs.js")).compatDocsCommand(args);
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(usage);
      return;
    default:
      throw new UsageError(command === undefined ? "no command given" : `unknown command: ${command}`);
  }
}
