// The `tessera` command tree; kept apart from the entry file so tests can run commands in process.
// The server-side commands load their modules on demand, so `openapi` or `client list` never load
// a database driver.
import { createRequire } from "node:module";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { registerApiTokenCommands } from "./commands/apitoken.js";
import { registerClientCommands } from "./commands/client.js";
import { registerKeysCommands } from "./commands/keys.js";
import { registerServiceCommands } from "./commands/service.js";
import { registerTokenCommands } from "./commands/token.js";
import { type CliIo, processIo } from "./io.js";
import { describeFailure } from "./report-failure.js";
import { UsageError } from "./usage-error.js";

/** Exit statuses: 0 done, 1 the work failed (API error, unreachable server, bad setting), 2 a mistake on the command line. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

// Two levels up from both src/cli/ and dist/cli/.
const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

function positiveInteger(value: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new InvalidArgumentError("batch size must be a positive integer.");
  return Number(value);
}

function registerServerCommands(program: Command, io: CliIo): void {
  program
    .command("serve")
    .description("Run the API (the same as npm start); stops gracefully on SIGTERM or SIGINT")
    .action(async () => (await import("./commands/serve.js")).serveCommand(io.env));
  program
    .command("migrate")
    .description("Apply pending migrations to TESSERA_DATABASE_URL and exit (for TESSERA_MIGRATE=off)")
    .action(async () => (await import("./commands/migrate.js")).migrateCommand(io.env, io.out));
  program
    .command("janitor")
    .description("Delete expired tickets, codes, tokens, assertion ids and finished grants, and rotate keys that are due (keyRotationInterval); run it from cron on one node")
    .argument("[batchSize]", "rows per kind and transaction (default 1000)", positiveInteger)
    .action(async (batchSize: number | undefined) => {
      await (await import("./commands/janitor.js")).janitorCommand(batchSize, io.env, io.out);
    });
}

function registerGeneratorCommands(program: Command, io: CliIo): void {
  const generators: Array<[string, string, () => Promise<(file: string | undefined, io: CliIo) => void>]> = [
    ["openapi", "the OpenAPI 3.1 document", async () => (await import("./commands/openapi.js")).openapiCommand],
    ["config-docs", "the configuration reference (docs/configuration.md)", async () => (await import("./commands/config-docs.js")).configDocsCommand],
    ["result-codes", "the result code reference (docs/result-codes.md)", async () => (await import("./commands/result-codes-docs.js")).resultCodesCommand],
    ["compat-docs", "the Authlete compatibility page (docs/authlete-compatibility.md)", async () => (await import("./commands/compat-docs.js")).compatDocsCommand],
  ];
  for (const [name, what, load] of generators) {
    program
      .command(name)
      .description(`Print ${what}, or write it to a file`)
      .argument("[file]", "where to write it; standard output when absent or -")
      .action(async (file: string | undefined) => (await load())(file, io));
  }
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}

/** The whole command tree, writing to `io`; commander reports instead of exiting, so runCli decides the status. */
export function buildProgram(io: CliIo): Command {
  const program = new Command("tessera")
    .usage("<command> [options]")
    .description("Tessera: a self-hosted OAuth 2.0 and OpenID Connect backend with an Authlete v3 compatible API")
    .version(version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help for the command")
    .helpCommand("help [command]", "show help for a command")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(text.replace(/^error: /, "tessera: ").replace(/unknown command '([^']*)'/, "unknown command: $1")),
    });
  registerServerCommands(program, io);
  registerGeneratorCommands(program, io);
  registerServiceCommands(program, io);
  registerClientCommands(program, io);
  registerApiTokenCommands(program, io);
  registerKeysCommands(program, io);
  registerTokenCommands(program, io);
  program.addHelpText(
    "after",
    "\nThe admin commands (service, client, apitoken, keys, token) call a running Tessera;\nthe others read the settings in docs/configuration.md. See docs/cli.md.\n",
  );
  program.showHelpAfterError(true);
  // A sub-command's mistake gets a pointer to its help rather than the whole top-level text.
  const hint = (command: Command) => {
    for (const child of command.commands) {
      child.showHelpAfterError(`(run \`${commandPath(child)} --help\` for usage)`);
      hint(child);
    }
  };
  hint(program);
  return program;
}

/** Runs one command line and resolves to its exit status; `serve` resolves once the server listens. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  let running: Command | undefined;
  try {
    const program = buildProgram(io);
    program.hook("preAction", (_program, actionCommand) => {
      running = actionCommand;
    });
    await program.parseAsync(argv, { from: "user" });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, --version and `help` exit 0; a bare `tessera` or group (help on stderr, exitCode 1) and every parse error are usage errors.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof UsageError) {
      io.err(`tessera: ${error.message}\n(run \`${running ? commandPath(running) : "tessera"} --help\` for usage)\n`);
      return exitCodes.usage;
    }
    io.err(describeFailure(error, io.env));
    return exitCodes.failed;
  }
}
