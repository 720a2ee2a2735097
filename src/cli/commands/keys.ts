import { type Command, InvalidArgumentError } from "commander";
import { apiCommand, listOf, onRun } from "../api/api-command.js";
import { type Column, renderRows } from "../api/output.js";
import type { CliIo } from "../io.js";

const jwkColumns: Column[] = [
  { header: "KID", field: "kid" },
  { header: "ALG", field: "alg" },
  { header: "USE", field: "use" },
  { header: "KTY", field: "kty" },
  { header: "CRV", field: "crv" },
];

const newKeyColumns: Column[] = [
  { header: "KID", field: "kid" },
  { header: "ALG", field: "alg" },
  { header: "ACTIVATES", field: "activatesAt" },
];

const rotationTable = (data: unknown) =>
  `New keys:\n${renderRows(listOf(data, "keys"), newKeyColumns)}\nRetiring keys:\n${renderRows(listOf(data, "retiringKeys"), [
    { header: "KID", field: "kid" },
    { header: "ALG", field: "alg" },
    { header: "RETIRES", field: "retiresAt" },
  ])}`;

/** `tessera keys list|rotate|revoke`: a service's signing keys (the API never exports private keys). */
export function registerKeysCommands(program: Command, io: CliIo): void {
  const keys = program.command("keys").description("Show, rotate and revoke the signing keys of a service");

  const list = apiCommand(keys, "list", "Show the public JWK Set (keys published ahead of activation and retiring keys included)", "service");
  onRun(list, io, async (api) => ({
    data: await api.call("get", "/api/{serviceId}/service/jwks/get", { params: { serviceId: api.serviceId } }),
    table: (data) => renderRows(listOf(data, "keys"), jwkColumns),
  }));

  const rotate = apiCommand(keys, "rotate", "Publish new signing keys now and sign with them after the activation delay", "service")
    .option("--alg <alg>", "the algorithm whose key is replaced, e.g. ES256, or ALL (default: every algorithm the service holds)")
    .option("--activation-delay <seconds>", "seconds between publishing and signing (default 3600; 0 switches at once)", (value) => {
      if (!/^(0|[1-9][0-9]{0,7})$/.test(value)) throw new InvalidArgumentError("expected a whole number of seconds.");
      return Number(value);
    });
  onRun(rotate, io, async (api) => {
    const { alg, activationDelay } = rotate.opts<{ alg?: string; activationDelay?: number }>();
    return {
      data: await api.call("post", "/api/{serviceId}/service/keys/rotate", {
        params: { serviceId: api.serviceId },
        body: { ...(alg !== undefined ? { alg } : {}), ...(activationDelay !== undefined ? { activationDelay } : {}) },
      }),
      table: rotationTable,
    };
  });

  const revoke = apiCommand(keys, "revoke", "Revoke a compromised key: out of the JWK Set at once, and what it signed stops being accepted", "service").argument(
    "<kid>",
    "the key's kid, as in the JWK Set",
  );
  onRun(revoke, io, async (api, [kid = ""]) => ({
    data: await api.call("post", "/api/{serviceId}/service/keys/revoke", { params: { serviceId: api.serviceId }, body: { kid } }),
  }));
}
