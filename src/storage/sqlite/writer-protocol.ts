import { StoreConflictError } from "../ports.js";
import type { WriteRequest } from "./write-units.js";

/** What the serving thread tells the writer thread. */
export type WriterMessage =
  | { type: "batch"; id: number; requests: WriteRequest[] }
  /** The background checkpointer stopped: the writer's connection must checkpoint by itself again. */
  | { type: "autocheckpoint"; pages: number }
  | { type: "close" };

/** An error as it crosses the thread boundary: structured cloning keeps neither its class nor its `code`. */
export interface WireError {
  conflict: boolean;
  message: string;
  code?: string;
}

export type WireSettlement = { ok: true; value: unknown } | { ok: false; error: WireError };

/** What the writer thread answers: one settlement per request of batch `id`, in order. */
export type WriterReply = { type: "ready" } | { type: "settled"; id: number; settlements: WireSettlement[] };

export interface WriterThreadOptions {
  filename: string;
  /** Requests per transaction at most; a longer batch is committed in several. */
  maxBatch: number;
  /** 0 while a background checkpointer copies the WAL, else SQLite's automatic checkpoint threshold. */
  autocheckpointPages: number;
}

export function toWireError(error: unknown): WireError {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    conflict: error instanceof StoreConflictError,
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === "string" ? { code } : {}),
  };
}

export function fromWireError(wire: WireError): Error {
  if (wire.conflict) return new StoreConflictError(wire.message);
  const error = new Error(wire.message) as Error & { code?: string };
  if (wire.code !== undefined) error.code = wire.code;
  return error;
}
