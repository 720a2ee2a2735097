import { type Command, InvalidArgumentError } from "commander";
import { apiCommand, collect, enumValue, listOf, nonNegativeInteger, onRun, withFile } from "../api/api-command.js";
import { type Column, renderRows } from "../api/output.js";
import type { CliIo } from "../io.js";
import { UsageError } from "../usage-error.js";

const columns: Column[] = [
  { header: "HASH", field: "accessTokenHash" },
  { header: "CLIENT", field: "clientId" },
  { header: "SUBJECT", field: "subject" },
  { header: "GRANT TYPE", field: "grantType" },
  { header: "SCOPES", field: "scopes" },
  { header: "EXPIRES", field: "accessTokenExpiresAt" },
];

function seconds(value: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(value)) throw new InvalidArgumentError("expected a positive whole number of seconds.");
  return Number(value);
}

/** An instant as epoch milliseconds (the API's unit) or as an ISO 8601 date. */
function instant(value: string): number {
  if (/^[1-9][0-9]{0,15}$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new InvalidArgumentError("expected epoch milliseconds or an ISO 8601 date, e.g. 2030-01-01T00:00:00Z.");
  return parsed;
}

const scopeOption = (command: Command, what: string) => command.option("--scope <scope>", `${what} (repeat for more)`, collect);

/** `tessera token …`: token management (USE_SERVICE): mint without a flow, list, change, delete, revoke. */
export function registerTokenCommands(program: Command, io: CliIo): void {
  const token = program.command("token").description("Create, list, change, delete and revoke the access tokens of a service");

  const create = scopeOption(
    withFile(apiCommand(token, "create", "Mint tokens for a client and subject without a flow (a migration, a service account)", "service"), "the request")
      .option("--grant-type <type>", "the grant type the tokens are minted as, e.g. client_credentials", enumValue)
      .option("--client <client>", "the client, by number or clientIdAlias")
      .option("--subject <subject>", "the resource owner")
      .option("--access-token-duration <seconds>", "lifetime of the access token", seconds)
      .option("--refresh-token-duration <seconds>", "lifetime of the refresh token", seconds),
    "a scope",
  );
  onRun(create, io, async (api) => {
    const flags = create.opts<{ grantType?: string; client?: string; subject?: string; scope?: string[]; accessTokenDuration?: number; refreshTokenDuration?: number }>();
    const body = await api.body({
      grantType: flags.grantType,
      clientIdentifier: flags.client,
      subject: flags.subject,
      scopes: flags.scope,
      accessTokenDuration: flags.accessTokenDuration,
      refreshTokenDuration: flags.refreshTokenDuration,
    });
    return { data: await api.call("post", "/api/{serviceId}/auth/token/create", { params: { serviceId: api.serviceId }, body }) };
  });

  const list = apiCommand(token, "list", "List access tokens, oldest first (by hash, never by value)", "service")
    .option("--client <client>", "only the tokens of this client (number or alias)")
    .option("--subject <subject>", "only the tokens of this subject")
    .option("--status <status>", "valid, invalid or all (default all)", enumValue)
    .option("--start <index>", "first item, inclusive (default 0)", nonNegativeInteger)
    .option("--end <index>", "last item, exclusive (default start + 5, at most start + 1000)", nonNegativeInteger);
  onRun(list, io, async (api) => {
    const flags = list.opts<{ client?: string; subject?: string; status?: string; start?: string; end?: string }>();
    return {
      data: await api.call("get", "/api/{serviceId}/auth/token/get/list", {
        params: { serviceId: api.serviceId },
        query: { clientIdentifier: flags.client, subject: flags.subject, tokenStatus: flags.status, start: flags.start, end: flags.end },
      }),
      table: (data) => renderRows(listOf(data, "accessTokens"), columns),
    };
  });

  const update = scopeOption(
    withFile(apiCommand(token, "update", "Change an access token's scopes or expiry", "service"), "the request")
      .option("--access-token <value>", "the access token, by value")
      .option("--hash <accessTokenHash>", "the access token, by the hash token list shows")
      .option("--expires-at <instant>", "new expiry: epoch milliseconds or an ISO 8601 date", instant),
    "a new scope; the list replaces the token's scopes",
  );
  onRun(update, io, async (api) => {
    const flags = update.opts<{ accessToken?: string; hash?: string; expiresAt?: number; scope?: string[] }>();
    const body = await api.body({ accessToken: flags.accessToken, accessTokenHash: flags.hash, accessTokenExpiresAt: flags.expiresAt, scopes: flags.scope });
    if (body.accessToken === undefined && body.accessTokenHash === undefined) throw new UsageError("token update: name the token with --access-token or --hash");
    return { data: await api.call("post", "/api/{serviceId}/auth/token/update", { params: { serviceId: api.serviceId }, body }) };
  });

  const remove = apiCommand(token, "delete", "Delete an access token and the refresh token issued with it", "service").argument(
    "<accessToken>",
    "the access token's value or its accessTokenHash",
  );
  onRun(remove, io, async (api, [accessTokenIdentifier = ""]) => {
    await api.call("delete", "/api/{serviceId}/auth/token/delete/{accessTokenIdentifier}", { params: { serviceId: api.serviceId, accessTokenIdentifier } });
    return { data: undefined, done: "Deleted the access token." };
  });

  const revoke = withFile(apiCommand(token, "revoke", "Revoke a token, or every token of a client and/or subject with their grants", "service"), "the request")
    .option("--access-token <token>", "an access token (value or hash), with its refresh token")
    .option("--refresh-token <token>", "a refresh token (value or hash), with its access tokens")
    .option("--client <client>", "every token of this client (number or alias)")
    .option("--subject <subject>", "every token of this subject");
  onRun(revoke, io, async (api) => {
    const flags = revoke.opts<{ accessToken?: string; refreshToken?: string; client?: string; subject?: string }>();
    const body = await api.body({
      accessTokenIdentifier: flags.accessToken,
      refreshTokenIdentifier: flags.refreshToken,
      clientIdentifier: flags.client,
      subject: flags.subject,
    });
    if (Object.keys(body).length === 0) throw new UsageError("token revoke: name a token (--access-token, --refresh-token) or a holder (--client, --subject)");
    return { data: await api.call("post", "/api/{serviceId}/auth/token/revoke", { params: { serviceId: api.serviceId }, body }) };
  });
}
