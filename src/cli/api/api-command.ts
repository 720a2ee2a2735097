import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { CliIo } from "../io.js";
import { UsageError } from "../usage-error.js";
import { type CallOptions, callApi, type Method, type PathWith } from "./client.js";
import { type OutputFormat, outputFormats, renderJson, renderRecord } from "./output.js";

interface ApiOptions {
  url?: string;
  token?: string;
  output: OutputFormat;
  service?: string;
  file?: string;
}

/** What a command shows: the API's answer, and how to lay it out as a table (default: field by field). */
export interface Shown {
  data: unknown;
  table?: (data: unknown) => string;
  /** For answers without a body (delete): the line a table shows; JSON prints nothing. */
  done?: string;
}

export interface ApiContext {
  io: CliIo;
  /** The service id of a service-scoped command (`--service` or TESSERA_SERVICE_ID). */
  serviceId: string;
  call<M extends Method>(method: M, path: PathWith<M>, options?: CallOptions): Promise<unknown>;
  /**
   * The request body: the JSON object of `--file` (a path, or `-` for standard input) with the
   * given flag values over it; flags left unset are not sent.
   */
  body(flags: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const serviceIdPattern = /^[1-9][0-9]{0,15}$/;

/** Commander parser for repeatable options: `--grant-type a --grant-type b` → [a, b]. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Authlete's enum spelling from what people type: `client_credentials` and `client-credentials` → CLIENT_CREDENTIALS. */
export function enumValue(value: string): string {
  return value.trim().toUpperCase().replace(/-/g, "_");
}

export function nonNegativeInteger(value: string): string {
  if (!/^(0|[1-9][0-9]{0,8})$/.test(value)) throw new InvalidArgumentError("expected a non-negative integer.");
  return value;
}

export function serviceIdArgument(value: string): string {
  if (!serviceIdPattern.test(value)) throw new InvalidArgumentError("a service id is the service's number (its apiKey).");
  return value;
}

/** A leaf command of the admin API, with `--service` when it acts inside one service; {@link onRun} adds the rest. */
export function apiCommand(parent: Command, spec: string, description: string, scope: "global" | "service"): Command {
  const command = parent.command(spec).description(description);
  if (scope === "service") command.option("-s, --service <id>", "the service (its apiKey); default $TESSERA_SERVICE_ID", serviceIdArgument);
  return command;
}

/** Adds `--file` to a command that sends a body. */
export function withFile(command: Command, what: string): Command {
  return command.option("-f, --file <path>", `${what} as JSON, from a file or - for standard input; flags override its fields`);
}

function baseUrl(options: ApiOptions, env: NodeJS.ProcessEnv): string {
  const raw = options.url ?? (env.TESSERA_URL || `http://127.0.0.1:${env.TESSERA_PORT || "8080"}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`not a URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`the URL must be http or https: ${raw}`);
  return raw;
}

async function readBody(file: string, io: CliIo): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = file === "-" ? await io.readStdin() : readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file === "-" ? "standard input" : file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError(`${file === "-" ? "standard input" : file} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

/** Sets the handler of an API command: resolves the connection, runs it, and prints what it shows. */
export function onRun(command: Command, io: CliIo, handler: (context: ApiContext, args: string[]) => Promise<Shown>): Command {
  // Added last so that help lists the command's own options first.
  command
    .option("--url <url>", "Tessera's base URL; default $TESSERA_URL, else http://127.0.0.1:$TESSERA_PORT (8080)")
    .option("--token <token>", "admin token (or a service API token); default $TESSERA_ADMIN_TOKEN, else $TESSERA_API_TOKEN")
    .addOption(new Option("-o, --output <format>", "output format").choices(outputFormats).default("json"));
  return command.action(async () => {
    const options = command.opts<ApiOptions>();
    const url = baseUrl(options, io.env);
    const token = options.token ?? (io.env.TESSERA_ADMIN_TOKEN || io.env.TESSERA_API_TOKEN);
    if (!token) throw new UsageError("no API token: pass --token or set TESSERA_ADMIN_TOKEN");
    const scoped = command.options.some((option) => option.long === "--service");
    const serviceId = options.service ?? io.env.TESSERA_SERVICE_ID ?? "";
    if (scoped && !serviceIdPattern.test(serviceId)) {
      throw new UsageError(serviceId === "" ? "no service: pass --service <id> or set TESSERA_SERVICE_ID" : `TESSERA_SERVICE_ID is not a service id: ${serviceId}`);
    }
    const target = { baseUrl: url, token, fetch: io.fetch };
    const context: ApiContext = {
      io,
      serviceId,
      call: (method, path, callOptions) => callApi(target, method, path, callOptions),
      body: async (flags) => {
        const base = options.file === undefined ? {} : await readBody(options.file, io);
        for (const [field, value] of Object.entries(flags)) if (value !== undefined) base[field] = value;
        return base;
      },
    };
    const shown = await handler(context, command.processedArgs as string[]);
    if (options.output === "table") {
      if (shown.data === undefined) io.out(`${shown.done ?? "Done."}\n`);
      else io.out((shown.table ?? renderRecord)(shown.data));
    } else if (shown.data !== undefined) {
      io.out(renderJson(shown.data));
    }
  });
}

/** The array a list answer holds under `field` (empty when absent). */
export function listOf(data: unknown, field: string): unknown[] {
  const value = typeof data === "object" && data !== null ? (data as Record<string, unknown>)[field] : undefined;
  return Array.isArray(value) ? value : [];
}
