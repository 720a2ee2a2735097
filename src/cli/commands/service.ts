import type { Command } from "commander";
import { apiCommand, listOf, nonNegativeInteger, onRun, serviceIdArgument, withFile } from "../api/api-command.js";
import { type Column, renderRows } from "../api/output.js";
import type { CliIo } from "../io.js";
import { UsageError } from "../usage-error.js";

const columns: Column[] = [
  { header: "ID", field: "apiKey" },
  { header: "NAME", field: "serviceName" },
  { header: "ISSUER", field: "issuer" },
  { header: "CREATED", field: "createdAt" },
];

interface ServiceFlags {
  name?: string;
  issuer?: string;
}

const fieldFlags = (command: Command) =>
  command.option("--name <name>", "serviceName: the display name").option("--issuer <url>", "issuer: the iss of what the service issues (https, or http on loopback)");

const fieldsOf = (flags: ServiceFlags) => ({ serviceName: flags.name, issuer: flags.issuer });

/** `tessera service create|get|list|update|delete` (the admin token for create and list). */
export function registerServiceCommands(program: Command, io: CliIo): void {
  const service = program.command("service").description("Create, read, change and delete services (tenants)");

  const create = fieldFlags(withFile(apiCommand(service, "create", "Create a service; serviceName and issuer are required", "global"), "the Service"));
  onRun(create, io, async (api) => ({ data: await api.call("post", "/api/service/create", { body: await api.body(fieldsOf(create.opts<ServiceFlags>())) }) }));

  const get = apiCommand(service, "get", "Show a service", "global").argument("<serviceId>", "the service's apiKey", serviceIdArgument);
  onRun(get, io, async (api, [serviceId = ""]) => ({ data: await api.call("get", "/api/{serviceId}/service/get", { params: { serviceId } }) }));

  const list = apiCommand(service, "list", "List services (oldest first; a service token sees only its own)", "global")
    .option("--start <index>", "first item, inclusive (default 0)", nonNegativeInteger)
    .option("--end <index>", "last item, exclusive (default start + 5, at most start + 1000)", nonNegativeInteger);
  onRun(list, io, async (api) => {
    const { start, end } = list.opts<{ start?: string; end?: string }>();
    return {
      data: await api.call("get", "/api/service/get/list", { query: { start, end } }),
      table: (data) => renderRows(listOf(data, "services"), columns),
    };
  });

  const update = fieldFlags(
    withFile(apiCommand(service, "update", "Change a service: only the fields given change (null clears one)", "global"), "the fields to change").argument(
      "<serviceId>",
      "the service's apiKey",
      serviceIdArgument,
    ),
  );
  onRun(update, io, async (api, [serviceId = ""]) => {
    const body = await api.body(fieldsOf(update.opts<ServiceFlags>()));
    if (Object.keys(body).length === 0) throw new UsageError("service update: nothing to change; give --file or a field flag");
    return { data: await api.call("post", "/api/{serviceId}/service/update", { params: { serviceId }, body }) };
  });

  const remove = apiCommand(service, "delete", "Delete a service with its clients, tokens and keys", "global").argument("<serviceId>", "the service's apiKey", serviceIdArgument);
  onRun(remove, io, async (api, [serviceId = ""]) => {
    await api.call("delete", "/api/{serviceId}/service/delete", { params: { serviceId } });
    return { data: undefined, done: `Deleted service ${serviceId}.` };
  });
}
