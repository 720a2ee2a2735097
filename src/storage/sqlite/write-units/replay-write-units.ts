import type { ReplayStore } from "../../ports.js";
import type { WriteUnits } from "./write-unit.js";

export const replayWriteUnits = {
  useClientJwtId(statements, serviceId, clientId, jti, expiresAt) {
    return statements.run("insertClientAssertionJti", serviceId, clientId, jti, expiresAt) === 1;
  },
} satisfies WriteUnits<keyof ReplayStore>;
