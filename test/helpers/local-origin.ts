import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A plain-http server on 127.0.0.1 standing in for a client's web server (jwks_uri,
 * sector_identifier_uri). It counts TCP connections and requests, so a test can prove that a
 * refused target was never contacted.
 */
export interface LocalOrigin {
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  connections: number;
  /** Paths requested, in order. */
  requests: string[];
  route(path: string, handler: Route): void;
  /** Serves `body` as JSON at `path`, with optional extra headers. */
  json(path: string, body: unknown, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startLocalOrigin(): Promise<LocalOrigin> {
  const routes = new Map<string, Route>();
  const sockets = new Set<Socket>();
  const origin: Partial<LocalOrigin> & { connections: number; requests: string[] } = { connections: 0, requests: [] };
  const server: Server = createServer((request, response) => {
    const path = request.url ?? "/";
    origin.requests.push(path);
    const handler = routes.get(path);
    if (handler) handler(request, response);
    else response.writeHead(404).end();
  });
  server.on("connection", (socket: Socket) => {
    origin.connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(origin, {
    base: `http://127.0.0.1:${port}`,
    port,
    route(path: string, handler: Route) {
      routes.set(path, handler);
    },
    json(path: string, body: unknown, headers: Record<string, string> = {}) {
      routes.set(path, (_request, response) => {
        response.writeHead(200, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/**
 * Gives the calling test file one local origin: started before its tests, closed after them, its
 * counters cleared before each test. `use` receives it once started.
 */
export function withLocalOrigin(use: (origin: LocalOrigin) => void): void {
  let origin: LocalOrigin | undefined;
  beforeAll(async () => {
    origin = await startLocalOrigin();
    use(origin);
  });
  afterAll(() => origin?.close());
  beforeEach(() => {
    if (!origin) return;
    origin.connections = 0;
    origin.requests.length = 0;
  });
}
