import type { ApiTokenWrites } from "../../ports.js";
import { params } from "../../rows.js";
import type { WriteUnits } from "./write-unit.js";

export const apiTokenWriteUnits = {
  createApiToken(statements, token) {
    statements.run("insertApiToken", ...params.apiToken(token));
  },

  deleteApiToken(statements, serviceId, id) {
    return statements.run("deleteApiToken", serviceId, id) > 0;
  },
} satisfies WriteUnits<keyof ApiTokenWrites>;
