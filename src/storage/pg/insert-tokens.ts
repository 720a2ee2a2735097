import type pg from "pg";
import type { TokenWrite } from "../ports.js";
import { params } from "../rows.js";
import type { PgContext } from "./pg-context.js";

/** The rows of one token write, on the connection of a transaction in progress. */
export async function insertTokens(context: PgContext, write: TokenWrite, client: pg.PoolClient): Promise<void> {
  if (write.grant) await context.run("insertGrant", params.grant(write.grant), client);
  if (write.refreshToken) await context.run("insertRefreshToken", params.refreshToken(write.refreshToken), client);
  await context.run("insertAccessToken", params.accessToken(write.accessToken), client);
}
