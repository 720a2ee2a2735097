import { parentPort, workerData } from "node:worker_threads";
import { SqliteStatements, openSqliteConnection } from "./sqlite-statements.js";
import { WriteBatcher } from "./write-batcher.js";
import { runWriteRequest } from "./write-units.js";
import { type WireSettlement, type WriterMessage, type WriterReply, type WriterThreadOptions, toWireError } from "./writer-protocol.js";

/**
 * The writer thread: its own connection to the database file, on which every write of the
 * serving process runs. Batches arrive in order and run in order, each as one or more group
 * commits (see WriteBatcher); the answer is posted only after COMMIT returned.
 */
if (!parentPort) throw new Error("write-worker.ts runs only as a worker thread");
const port = parentPort;
const options = workerData as WriterThreadOptions;
const db = openSqliteConnection(options.filename);
db.pragma(`wal_autocheckpoint = ${options.autocheckpointPages}`);
const statements = new SqliteStatements(db);
const batcher = new WriteBatcher(db);

function settle(requests: WriterMessage & { type: "batch" }): WireSettlement[] {
  const settlements: WireSettlement[] = [];
  for (let start = 0; start < requests.requests.length; start += options.maxBatch) {
    const chunk = requests.requests.slice(start, start + options.maxBatch);
    try {
      for (const settlement of batcher.commit(chunk.map((request) => () => runWriteRequest(statements, request)))) {
        settlements.push(settlement.ok ? settlement : { ok: false, error: toWireError(settlement.error) });
      }
    } catch (error) {
      const wire = toWireError(error);
      for (let i = 0; i < chunk.length; i++) settlements.push({ ok: false, error: wire });
    }
  }
  return settlements;
}

port.on("message", (message: WriterMessage) => {
  if (message.type === "batch") {
    const reply: WriterReply = { type: "settled", id: message.id, settlements: settle(message) };
    port.postMessage(reply);
  } else if (message.type === "autocheckpoint") {
    db.pragma(`wal_autocheckpoint = ${message.pages}`);
  } else {
    db.close();
    port.close();
  }
});
port.postMessage({ type: "ready" } satisfies WriterReply);
