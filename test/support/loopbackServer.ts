/**
 * An HTTP server on 127.0.0.1 for one test (fake cloud APIs, probe targets): where it listens, and a
 * close that drops kept-alive connections (fetch keeps them) so it returns at once.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export interface LoopbackServer {
  readonly server: http.Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  close(): Promise<void>;
}

export async function serveOnLoopback(handler: http.RequestListener): Promise<LoopbackServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
