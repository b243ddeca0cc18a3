/**
 * A scripted stand-in for the Databricks REST APIs on 127.0.0.1 (node:http), shared by the waiter and
 * verify tests. Routes answer with a fixed reply, a sequence (the last one repeats), or a function;
 * every request is recorded so tests can assert headers and bodies.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface Reply {
  readonly status?: number;
  /** Sent as JSON; `text` is sent as is. */
  readonly json?: unknown;
  readonly text?: string;
}

type Route = Reply | readonly Reply[] | ((request: RecordedRequest) => Reply);

export const TEST_TOKEN = "test-access-token";

export class FakeDatabricks {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, { route: Route; served: number }>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeDatabricks> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const fake = new FakeDatabricks(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("request", (req, res) => fake.handle(req, res));
    return fake;
  }

  /** Scripts `METHOD path`; replaces an earlier script for the same route. */
  on(method: string, path: string, route: Route): this {
    this.routes.set(`${method} ${path}`, { route, served: 0 });
    return this;
  }

  /** The account OAuth token endpoint, answering a fixed token. */
  onAccountToken(accountId: string): this {
    return this.on("POST", `/oidc/accounts/${accountId}/v1/token`, {
      json: { access_token: TEST_TOKEN, token_type: "Bearer", expires_in: 3600 },
    });
  }

  /** The workspace Secrets API's ACL list for one scope (`GET /api/2.0/secrets/acls/list?scope=`). */
  onSecretAcls(scope: string, items: ReadonlyArray<{ principal: string; permission: string }>): this {
    // Databricks omits `items` when the list is empty (databricks-sdk-go ListAclsResponse, omitempty).
    return this.on("GET", `/api/2.0/secrets/acls/list?scope=${encodeURIComponent(scope)}`, {
      json: items.length > 0 ? { items } : {},
    });
  }

  /** Requests to one path, in order. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    // fetch keeps connections alive; drop them so close() returns at once.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      this.requests.push(request);
      const reply = this.replyTo(request);
      const body = reply.text ?? JSON.stringify(reply.json ?? {});
      res.writeHead(reply.status ?? 200, { "Content-Type": reply.text ? "text/plain" : "application/json" });
      res.end(body);
    });
  }

  private replyTo(request: RecordedRequest): Reply {
    const entry = this.routes.get(`${request.method} ${request.path}`);
    if (!entry) return { status: 404, json: { error_code: "NOT_FOUND", message: `no route ${request.path}` } };
    const { route } = entry;
    if (typeof route === "function") return route(request);
    if (!Array.isArray(route)) return route as Reply;
    return route[Math.min(entry.served++, route.length - 1)];
  }
}
