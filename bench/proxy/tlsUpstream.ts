/**
 * A stand-in for Azure OpenAI on 127.0.0.x: a Node HTTPS server with a certificate for
 * `*.openai.azure.com` from a CA made at test time with the openssl CLI.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPki {
  /** PEM of the test CA that clients trust. */
  readonly caCert: string;
  /** PEM certificate (and its key) the upstreams serve, for `*.openai.azure.com`. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** SHA-256 fingerprint of serverCert, in Node's `getPeerCertificate().fingerprint256` format. */
  readonly serverFingerprint256: string;
}

/**
 * Makes a CA and a server certificate for `dnsName` with the openssl CLI: RSA-2048 like Azure's, or
 * ECDSA P-256 where thousands of handshakes must stay cheap (the capacity benchmark).
 */
export function createTestPki(
  dnsName = "*.openai.azure.com",
  { keyType = "rsa" }: { keyType?: "rsa" | "ec" } = {},
): TestPki {
  const newKey = keyType === "rsa" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
  const dir = mkdtempSync(join(tmpdir(), "test-pki-"));
  const openssl = (...args: string[]) => {
    const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8", timeout: 30_000 });
    if (result.status !== 0) {
      throw new Error(
        `openssl ${args[0]} failed (is the openssl package installed?): ${result.stderr ?? result.error}`,
      );
    }
  };
  try {
    openssl(
      "req",
      "-x509",
      ...newKey,
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "2",
      "-subj",
      "/CN=dbx-aoai-link test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    openssl("req", ...newKey, "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${dnsName}`);
    writeFileSync(join(dir, "server.ext"), `subjectAltName=DNS:${dnsName}\nextendedKeyUsage=serverAuth\n`);
    openssl(
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.crt",
      "-days",
      "2",
      "-extfile",
      "server.ext",
    );
    const serverCert = readFileSync(join(dir, "server.crt"), "utf8");
    return {
      caCert: readFileSync(join(dir, "ca.crt"), "utf8"),
      serverCert,
      serverKey: readFileSync(join(dir, "server.key"), "utf8"),
      serverFingerprint256: new X509Certificate(serverCert).fingerprint256,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the benchmark asks for: about the size of a short chat completion. */
export const CHAT_RESPONSE = JSON.stringify({
  id: "chatcmpl-test",
  object: "chat.completion",
  model: "gpt-4o-mini",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "x".repeat(400) } }],
  usage: { prompt_tokens: 20, completion_tokens: 100, total_tokens: 120 },
});

export interface TlsUpstream {
  readonly host: string;
  readonly port: number;
  /** Sent back in the `x-upstream` header and by /whoami, to tell two upstreams apart. */
  readonly name: string;
  /** TLS sessions accepted with this SNI (undefined: none sent) since start; refused clients must never add one. */
  sessionsFor(servername: string | undefined): number;
  /** Stops listening and drops every open connection (Azure unreachable). */
  stop(): Promise<void>;
  /** Listens again on the same address and port (Azure back); does nothing while listening. */
  start(): Promise<void>;
}

/**
 * Endpoints: GET /whoami, GET /chat, POST /echo (body back), GET /large?bytes=N (random body, its
 * SHA-256 in `x-body-sha256`), GET /stream?silenceMs=&chunks=&intervalMs= (headers at once, silence,
 * then `data: <i>` events every interval, then `data: [DONE]`).
 */
export async function startTlsUpstream(options: {
  host: string;
  port: number;
  name: string;
  pki: TestPki;
}): Promise<TlsUpstream> {
  const sockets = new Set<Socket>();
  const sessions = new Map<string, number>();
  const sniKey = (servername: string | false | null | undefined) => servername || "(no SNI)";
  let server: Server | undefined;
  const upstream: TlsUpstream = {
    host: options.host,
    port: options.port,
    name: options.name,
    sessionsFor: (servername) => sessions.get(sniKey(servername)) ?? 0,
    start: async () => {
      if (server) return;
      const s = createServer({ key: options.pki.serverKey, cert: options.pki.serverCert }, respond(options.name));
      s.on("connection", (socket: Socket) => {
        // As a production front end does: without it, Nagle holds the response's second TLS
        // record until the client's delayed ACK (40 ms), which would slow the direct baseline.
        socket.setNoDelay(true);
        sockets.add(socket);
        socket.once("close", () => sockets.delete(socket));
      });
      s.on("secureConnection", (socket: TLSSocket) => {
        const key = sniKey(socket.servername);
        sessions.set(key, (sessions.get(key) ?? 0) + 1);
      });
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(options.port, options.host, () => resolve());
      });
      server = s;
    },
    stop: async () => {
      const s = server;
      server = undefined;
      if (!s) return;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      sockets.forEach((socket) => socket.destroy());
      await closed;
    },
  };
  await upstream.start();
  return upstream;
}

/** Starts one upstream per host, all on the same free port (DNS can only change the address). */
export async function startTlsUpstreamsOnOnePort(
  hosts: readonly { host: string; name: string }[],
  pki: TestPki,
  pickPort: (host: string) => Promise<number>,
): Promise<TlsUpstream[]> {
  for (let attempt = 0; ; attempt++) {
    const port = await pickPort(hosts[0].host);
    const started: TlsUpstream[] = [];
    try {
      for (const { host, name } of hosts) started.push(await startTlsUpstream({ host, port, name, pki }));
      return started;
    } catch (error) {
      await Promise.all(started.map((u) => u.stop()));
      if (attempt >= 10 || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    }
  }
}

function respond(name: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "https://upstream.invalid");
    const number = (key: string, fallback: number) => Number(url.searchParams.get(key) ?? fallback);
    res.setHeader("x-upstream", name);
    switch (url.pathname) {
      case "/whoami":
        return sendJson(res, { upstream: name });
      case "/chat":
        return sendJson(res, CHAT_RESPONSE);
      case "/echo":
        res.writeHead(200, { "content-type": req.headers["content-type"] ?? "application/octet-stream" });
        return void req.pipe(res);
      case "/large": {
        const body = randomBytes(number("bytes", 1 << 20));
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": body.length,
          "x-body-sha256": createHash("sha256").update(body).digest("hex"),
        });
        return void res.end(body);
      }
      case "/stream":
        return stream(res, number("silenceMs", 0), number("chunks", 10), number("intervalMs", 100));
      default:
        res.writeHead(404);
        return void res.end();
    }
  };
}

function sendJson(res: ServerResponse, value: unknown): void {
  const body = typeof value === "string" ? value : JSON.stringify(value);
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** Like a streamed chat completion: headers first, a slow first token, then steady chunks. */
function stream(res: ServerResponse, silenceMs: number, chunks: number, intervalMs: number): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
  let sent = 0;
  let timer: NodeJS.Timeout;
  const next = () => {
    if (sent === chunks) return void res.end("data: [DONE]\n\n");
    res.write(`data: ${sent++}\n\n`);
    timer = setTimeout(next, intervalMs);
  };
  timer = setTimeout(next, silenceMs);
  res.once("close", () => clearTimeout(timer));
}
