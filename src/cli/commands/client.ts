import type { Command } from "commander";
import { type ApiContext, apiCommand, collect, enumValue, listOf, nonNegativeInteger, onRun, withFile } from "../api/api-command.js";
import { type Column, renderRows } from "../api/output.js";
import type { CliIo } from "../io.js";
import { UsageError } from "../usage-error.js";

const columns: Column[] = [
  { header: "ID", field: "clientId" },
  { header: "ALIAS", field: "clientIdAlias" },
  { header: "NAME", field: "clientName" },
  { header: "TYPE", field: "clientType" },
  { header: "GRANT TYPES", field: "grantTypes" },
  { header: "LOCKED", field: "locked" },
];

interface ClientFlags {
  name?: string;
  alias?: string;
  type?: string;
  applicationType?: string;
  redirectUri?: string[];
  grantType?: string[];
  responseType?: string[];
  authMethod?: string;
  developer?: string;
}

function fieldFlags(command: Command): Command {
  return command
    .option("--name <name>", "clientName, shown on the login page")
    .option("--alias <alias>", "clientIdAlias, the client_id relying parties send")
    .option("--type <type>", "clientType: public or confidential", enumValue)
    .option("--application-type <type>", "applicationType: web or native", enumValue)
    .option("--redirect-uri <uri>", "a redirect URI (repeat for more; replaces the list)", collect)
    .option("--grant-type <type>", "a grant type, e.g. authorization_code (repeat for more)", (value, previous: string[] | undefined) => collect(enumValue(value), previous))
    .option("--response-type <type>", "a response type, e.g. code (repeat for more)", (value, previous: string[] | undefined) => collect(enumValue(value), previous))
    .option("--auth-method <method>", "tokenAuthMethod, e.g. client_secret_basic, private_key_jwt, none", enumValue)
    .option("--developer <name>", "developer: who owns the client (client list --developer filters by it)");
}

const fieldsOf = (flags: ClientFlags) => ({
  clientName: flags.name,
  clientIdAlias: flags.alias,
  clientType: flags.type,
  applicationType: flags.applicationType,
  redirectUris: flags.redirectUri,
  grantTypes: flags.grantType,
  responseTypes: flags.responseType,
  tokenAuthMethod: flags.authMethod,
  developer: flags.developer,
});

/**
 * The client's number for the routes that take only the number (update, delete): an alias is
 * looked up first, so every client command accepts what relying parties call the client.
 */
async function clientNumber(api: ApiContext, client: string): Promise<string> {
  if (/^[1-9][0-9]{0,15}$/.test(client)) return client;
  const found = (await api.call("get", "/api/{serviceId}/client/get/{clientId}", { params: { serviceId: api.serviceId, clientId: client } })) as { clientId?: unknown };
  return String(found.clientId);
}

/** `tessera client …`: the clients of one service (MODIFY_CLIENT, CREATE_CLIENT or VIEW_CLIENT, or the admin token). */
export function registerClientCommands(program: Command, io: CliIo): void {
  const client = program.command("client").description("Register, read, change, lock and delete the clients of a service");
  const clientArgument = (command: Command) => command.argument("<clientId>", "the client's number or its clientIdAlias");

  const create = fieldFlags(withFile(apiCommand(client, "create", "Register a client; the answer holds its secret, shown only once", "service"), "the Client"));
  onRun(create, io, async (api) => ({
    data: await api.call("post", "/api/{serviceId}/client/create", { params: { serviceId: api.serviceId }, body: await api.body(fieldsOf(create.opts<ClientFlags>())) }),
  }));

  const get = clientArgument(apiCommand(client, "get", "Show a client (never its secret)", "service"));
  onRun(get, io, async (api, [clientId = ""]) => ({ data: await api.call("get", "/api/{serviceId}/client/get/{clientId}", { params: { serviceId: api.serviceId, clientId } }) }));

  const list = apiCommand(client, "list", "List the service's clients, oldest first", "service")
    .option("--start <index>", "first item, inclusive (default 0)", nonNegativeInteger)
    .option("--end <index>", "last item, exclusive (default start + 5, at most start + 1000)", nonNegativeInteger)
    .option("--developer <name>", "only the clients of this developer");
  onRun(list, io, async (api) => {
    const { start, end, developer } = list.opts<{ start?: string; end?: string; developer?: string }>();
    return {
      data: await api.call("get", "/api/{serviceId}/client/get/list", { params: { serviceId: api.serviceId }, query: { start, end, developer } }),
      table: (data) => renderRows(listOf(data, "clients"), columns),
    };
  });

  const update = clientArgument(fieldFlags(withFile(apiCommand(client, "update", "Change a client: only the fields given change (null clears one)", "service"), "the fields to change")));
  onRun(update, io, async (api, [client = ""]) => {
    const body = await api.body(fieldsOf(update.opts<ClientFlags>()));
    if (Object.keys(body).length === 0) throw new UsageError("client update: nothing to change; give --file or a field flag");
    const clientId = await clientNumber(api, client);
    return { data: await api.call("post", "/api/{serviceId}/client/update/{clientId}", { params: { serviceId: api.serviceId, clientId }, body }) };
  });

  const remove = clientArgument(apiCommand(client, "delete", "Delete a client with its grants, codes and tokens", "service"));
  onRun(remove, io, async (api, [client = ""]) => {
    const clientId = await clientNumber(api, client);
    await api.call("delete", "/api/{serviceId}/client/delete/{clientId}", { params: { serviceId: api.serviceId, clientId } });
    return { data: undefined, done: `Deleted client ${clientId}.` };
  });

  for (const [name, locked, description] of [
    ["lock", true, "Suspend a client: every runtime call for it is refused and its tokens stop working"],
    ["unlock", false, "Lift a lock: the client and its unexpired tokens work again"],
  ] as const) {
    const command = clientArgument(apiCommand(client, name, description, "service"));
    onRun(command, io, async (api, [clientIdentifier = ""]) => ({
      data: await api.call("post", "/api/{serviceId}/client/lock_flag/update/{clientIdentifier}", {
        params: { serviceId: api.serviceId, clientIdentifier },
        body: { clientLocked: locked },
      }),
    }));
  }

  const refresh = clientArgument(apiCommand(client, "refresh-secret", "Replace the client's secret with a new random one (the old one stops working at once)", "service"));
  onRun(refresh, io, async (api, [clientIdentifier = ""]) => ({
    data: await api.call("get", "/api/{serviceId}/client/secret/refresh/{clientIdentifier}", { params: { serviceId: api.serviceId, clientIdentifier } }),
  }));
}
