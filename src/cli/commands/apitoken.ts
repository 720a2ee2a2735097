import type { Command } from "commander";
import { apiCommand, collect, enumValue, listOf, onRun, withFile } from "../api/api-command.js";
import { type Column, renderRows } from "../api/output.js";
import type { CliIo } from "../io.js";

const columns: Column[] = [
  { header: "ID", field: "id" },
  { header: "PERMISSIONS", field: "permissions" },
  { header: "DESCRIPTION", field: "description" },
  { header: "CREATED", field: "createdAt" },
];

/** `tessera apitoken create|list|delete`: a service's API tokens (admin token only; the API has no get or update). */
export function registerApiTokenCommands(program: Command, io: CliIo): void {
  const apitoken = program.command("apitoken").description("Create, list and revoke the API tokens of a service (admin token)");

  const create = withFile(apiCommand(apitoken, "create", "Create an API token; its value is shown only in this answer", "service"), "the request")
    .option("-p, --permission <name>", "a permission, e.g. use_service, view_client, modify_client (repeat for more)", (value, previous: string[] | undefined) =>
      collect(enumValue(value), previous),
    )
    .option("--description <text>", "what the token is for");
  onRun(create, io, async (api) => {
    const flags = create.opts<{ permission?: string[]; description?: string }>();
    return {
      data: await api.call("post", "/api/{serviceId}/apitoken/create", {
        params: { serviceId: api.serviceId },
        body: await api.body({ permissions: flags.permission, description: flags.description }),
      }),
    };
  });

  const list = apiCommand(apitoken, "list", "List the service's API tokens (never their values)", "service");
  onRun(list, io, async (api) => ({
    data: await api.call("get", "/api/{serviceId}/apitoken/get/list", { params: { serviceId: api.serviceId } }),
    table: (data) => renderRows(listOf(data, "apiTokens"), columns),
  }));

  const remove = apiCommand(apitoken, "delete", "Revoke an API token at once", "service").argument("<tokenId>", "the token's id (from apitoken list)");
  onRun(remove, io, async (api, [tokenId = ""]) => {
    await api.call("delete", "/api/{serviceId}/apitoken/delete/{tokenId}", { params: { serviceId: api.serviceId, tokenId } });
    return { data: undefined, done: `Deleted API token ${tokenId}.` };
  });
}
