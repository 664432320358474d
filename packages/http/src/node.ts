import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A running `node:http` server around a Fetch-API handler. */
export interface MikaNodeHttpServer {
  readonly server: Server;
  /** The address it listens on, e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Where to listen: `127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464` or `:9464` (all addresses). */
export interface MikaListenAddress {
  host: string;
  port: number;
}

/** Parses `host:port` (IPv6 in brackets), naming the flag in the error. */
export function parseListenAddress(value: string, field = "--listen"): MikaListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(
      `${field} must be host:port (e.g. 127.0.0.1:9464, [::1]:9464, 0.0.0.0:9464), got ${JSON.stringify(value)}.`,
    );
  }
  return { host: match[1] ?? (match[2] || "0.0.0.0"), port };
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Serves `handler` with `node:http` at `address` (port 0 picks a free one). Request bodies
 * are not read: the handler's endpoints take none.
 */
export async function serveWithNodeHttp(
  handler: (request: Request) => Promise<Response>,
  address: MikaListenAddress,
): Promise<MikaNodeHttpServer> {
  const server = createServer((incoming, outgoing) => {
    void respond(handler, incoming, outgoing, address);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    server,
    url: `http://${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(
  handler: (request: Request) => Promise<Response>,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  address: MikaListenAddress,
): Promise<void> {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.set(name, value);
    }
    const host = incoming.headers.host ?? `${address.host}:${address.port}`;
    const request = new Request(new URL(incoming.url ?? "/", `http://${host}`), {
      method: incoming.method ?? "GET",
      headers,
    });
    incoming.resume();
    const response = await handler(request);
    outgoing.statusCode = response.status;
    for (const [name, value] of response.headers) outgoing.setHeader(name, value);
    const body = incoming.method === "HEAD" ? "" : Buffer.from(await response.arrayBuffer());
    outgoing.end(body);
  } catch (error) {
    if (!outgoing.headersSent) {
      outgoing.statusCode = 500;
      outgoing.setHeader("content-type", "text/plain; charset=utf-8");
    }
    outgoing.end(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
