/**
 * Clients for the proxy tests: what a Databricks caller does (HTTPS with the Azure name as SNI,
 * verifying the certificate), what a stray caller does (other SNI, none, plain HTTP), and plain
 * HTTP to the health and metrics ports. Every call has a deadline.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { connect as netConnect } from "node:net";
import { Duplex } from "node:stream";
import { connect as tlsConnect, type TLSSocket } from "node:tls";

/** Where a client connects and which Azure name it asks for. */
export interface TlsTarget {
  readonly host: string;
  readonly port: number;
  /** SNI and the name the certificate is checked against. */
  readonly servername: string;
  /** PEM of the CA the client trusts. */
  readonly ca: string;
}

export interface HttpsResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  /** SHA-256 fingerprint of the certificate the client saw. */
  readonly peerFingerprint256: string;
}

/** What a Databricks caller sends: the Azure name as SNI and Host, its certificate checked, a new connection. */
function azureRequest(target: TlsTarget, path: string, headers: Record<string, string | number> = {}): RequestOptions {
  return {
    host: target.host,
    port: target.port,
    servername: target.servername,
    ca: target.ca,
    path,
    agent: false,
    headers: { host: target.servername, ...headers },
  };
}

/** One HTTPS request on a new connection, certificate verified against `target.ca` and `servername`. */
export function httpsCall(
  target: TlsTarget,
  path: string,
  { method = "GET", body, timeoutMs = 10_000 }: { method?: string; body?: Buffer; timeoutMs?: number } = {},
): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { ...azureRequest(target, path, body ? { "content-length": body.length } : {}), method },
      (res) => {
        const peerFingerprint256 = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.once("error", reject);
        res.once("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            peerFingerprint256,
          }),
        );
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once("error", reject);
    req.end(body);
  });
}

export interface StreamResult {
  /** The response ended normally (not cut by a timeout or a reset). */
  readonly complete: boolean;
  /** `data:` events received, in order. */
  readonly events: string[];
  readonly elapsedMs: number;
  readonly error?: string;
}

/** Reads a server-sent-event stream to its end or until the connection is cut; never rejects. */
export function readStream(target: TlsTarget, path: string, timeoutMs: number): Promise<StreamResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const events: string[] = [];
    let text = "";
    let settled = false;
    const finish = (complete: boolean, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve({ complete, events, elapsedMs: Date.now() - started, error });
    };
    const req = httpsRequest(azureRequest(target, path), (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        const parts = text.split("\n\n");
        text = parts.pop() ?? "";
        events.push(...parts.map((p) => p.replace(/^data: /, "")));
      });
      res.once("end", () => finish(res.complete));
      res.once("aborted", () => finish(false, "aborted"));
      res.once("error", (error) => finish(false, error.message));
      res.once("close", () => finish(res.complete, res.complete ? undefined : "closed early"));
    });
    const deadline = setTimeout(() => finish(false, `still open after ${timeoutMs} ms`), timeoutMs);
    req.once("error", (error) => finish(false, error.message));
    req.end();
  });
}

/**
 * Opens a TLS session with `servername` as SNI (undefined: no SNI at all) and reports whether the
 * handshake completed, or the error that ended it. The certificate is not checked: only reachability.
 * With `splitHelloAfter`, the ClientHello leaves in two TCP segments 300 ms apart (cut after that
 * many bytes), as a slow or fragmenting client would send it.
 */
export function tlsHandshake(
  host: string,
  port: number,
  servername: string | undefined,
  { timeoutMs = 8000, splitHelloAfter }: { timeoutMs?: number; splitHelloAfter?: number } = {},
): Promise<"established" | string> {
  return new Promise((resolve) => {
    // An IP address as host makes Node send no SNI unless servername is given.
    const transport =
      splitHelloAfter === undefined ? { host, port } : { socket: splitFirstWrite(host, port, splitHelloAfter) };
    const socket = tlsConnect({ ...transport, servername, rejectUnauthorized: false });
    const done = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done(`timeout after ${timeoutMs} ms`));
    socket.once("secureConnect", () => done("established"));
    socket.once("error", (error) => done(error.message));
  });
}

/** A TCP connection whose first write is sent as two segments with a pause between them. */
function splitFirstWrite(host: string, port: number, splitAt: number): Duplex {
  const raw = netConnect({ host, port });
  raw.setNoDelay(true);
  let first = true;
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      if (!first || chunk.length <= splitAt) return void raw.write(chunk, callback);
      first = false;
      raw.write(chunk.subarray(0, splitAt));
      setTimeout(() => raw.write(chunk.subarray(splitAt), callback), 300);
    },
    read() {},
    destroy(error, callback) {
      raw.destroy();
      callback(error);
    },
  });
  raw.on("data", (data) => duplex.push(data));
  raw.once("end", () => duplex.push(null));
  raw.once("error", (error) => duplex.destroy(error));
  return duplex;
}

/** Sends a plain HTTP request to a TLS port; reports how many bytes came back before it closed. */
export function plainHttpProbe(
  host: string,
  port: number,
  timeoutMs = 8000,
): Promise<{ bytes: number; closedAfterMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const socket = netConnect({ host, port }, () => socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`));
    socket.on("data", (chunk) => (bytes += chunk.length));
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`connection still open after ${timeoutMs} ms`));
    });
    socket.once("close", () => resolve({ bytes, closedAfterMs: Date.now() - started }));
    socket.once("error", () => undefined);
  });
}

/** Plain HTTP GET (health and metrics ports), optionally from a chosen loopback source address. */
export function httpGet(
  host: string,
  port: number,
  path: string,
  { localAddress, timeoutMs = 5000 }: { localAddress?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path, localAddress, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.once("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.once("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once("error", reject);
    req.end();
  });
}
