// Process entry (`npm start`): the same as `tessera serve`.
import { serveCommand } from "./cli/commands/serve.js";
import { reportFailure } from "./cli/report-failure.js";

serveCommand().catch(reportFailure);
