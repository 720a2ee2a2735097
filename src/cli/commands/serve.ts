import { type Config, loadConfig } from "../../config/schema.js";
import { createLogger } from "../../logging/logger.js";
import { startTessera } from "../../server.js";

/** `tessera serve` (and `npm start`): run the API until SIGTERM or SIGINT, then shut down gracefully and exit 0. */
export async function serveCommand(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config: Config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const running = await startTessera(config, logger, (text) => process.stdout.write(text));

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      // A second Ctrl-C means "now": skip waiting for in-flight requests.
      logger.warn({ signal }, "second signal; exiting at once");
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, "shutting down");
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
