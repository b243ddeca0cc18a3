/**
 * Child process of `bench:capacity`: the Azure stand-in for thousands of held streams, in a process
 * of its own so its file descriptors do not count against the proxy's (or the client's) limit.
 *
 * argv[2]: JSON { host, keyFile, certFile, pendingBytes }. After each TLS handshake it sends
 * `pendingBytes` of data at once (0: an idle stream, silent like a slow first token) and keeps the
 * connection open. Prints `{"port":n}` when listening; answers each stdin line with
 * `{"established":n,"open":n}`; exits when stdin closes.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createServer, type TLSSocket } from "node:tls";

interface Options {
  readonly host: string;
  readonly keyFile: string;
  readonly certFile: string;
  readonly pendingBytes: number;
}

const options = JSON.parse(process.argv[2]) as Options;
const payload = Buffer.alloc(options.pendingBytes, "d");
const open = new Set<TLSSocket>();
let established = 0;

const server = createServer({ key: readFileSync(options.keyFile), cert: readFileSync(options.certFile) }, (socket) => {
  established++;
  open.add(socket);
  socket.once("close", () => open.delete(socket));
  socket.on("error", () => socket.destroy());
  if (payload.length > 0) socket.write(payload);
});
server.on("tlsClientError", () => undefined);
server.listen(0, options.host, () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});

createInterface({ input: process.stdin })
  .on("line", () => process.stdout.write(`${JSON.stringify({ established, open: open.size })}\n`))
  .on("close", () => process.exit(0));
