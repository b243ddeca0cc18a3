/**
 * nginx's stream proxy as the alternative to HAProxy, for comparison only: TLS passthrough with
 * `ssl_preread`, the same SNI allow list (a name not on it gets no upstream, so the connection is
 * closed), and the same connect and tunnel timeouts as ours. Debian: nginx-light + libnginx-mod-stream.
 * Directives: https://nginx.org/en/docs/stream/ngx_stream_ssl_preread_module.html,
 * https://nginx.org/en/docs/stream/ngx_stream_proxy_module.html
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STREAM_IDLE_TIMEOUT_SECONDS, UPSTREAM_CONNECT_TIMEOUT_SECONDS } from "../../aws/constants";
import { startListeningProcess, type RunningHaproxy } from "./haproxy";

/** Where Debian's libnginx-mod-stream puts the module. */
export const NGINX_STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";
const SEARCH_PATH = `${process.env.PATH ?? ""}:/usr/sbin:/usr/local/sbin`;

export interface NginxStreamConfigOptions {
  readonly bindAddress: string;
  readonly port: number;
  /** SNI allow list (lower case). */
  readonly allowedFqdns: readonly string[];
  /** `host:port` every allowed name is relayed to. */
  readonly server: string;
  /** Directory for the pid file. */
  readonly runDir: string;
  /** Open-files limit of each worker, at most this machine's hard limit. @default 19500 */
  readonly workerFileLimit?: number;
}

export function renderNginxStreamConfig(o: NginxStreamConfigOptions): string {
  const files = o.workerFileLimit ?? 19_500;
  return [
    `load_module ${NGINX_STREAM_MODULE};`,
    "worker_processes auto;",
    `worker_rlimit_nofile ${files};`,
    `pid ${join(o.runDir, "nginx.pid")};`,
    "error_log stderr warn;",
    // A relayed stream counts twice against worker_connections (client and upstream side).
    `events { worker_connections ${files - 500}; }`,
    "stream {",
    "    map $ssl_preread_server_name $aoai_upstream {",
    ...o.allowedFqdns.map((fqdn) => `        ${fqdn} ${o.server};`),
    // No SNI or a name not on the list: a socket that does not exist, so nothing is forwarded.
    `        default unix:${join(o.runDir, "refused.sock")};`,
    "    }",
    "    server {",
    `        listen ${o.bindAddress}:${o.port};`,
    "        ssl_preread on;",
    "        preread_timeout 5s;",
    "        proxy_pass $aoai_upstream;",
    `        proxy_connect_timeout ${UPSTREAM_CONNECT_TIMEOUT_SECONDS}s;`,
    `        proxy_timeout ${STREAM_IDLE_TIMEOUT_SECONDS}s;`,
    "        proxy_socket_keepalive on;",
    "    }",
    "}",
    "",
  ].join("\n");
}

/** True when nginx and its stream module are installed. */
export function nginxStreamAvailable(): boolean {
  const result = spawnSync("nginx", ["-v"], { env: { ...process.env, PATH: SEARCH_PATH }, encoding: "utf8" });
  return result.status === 0 && existsSync(NGINX_STREAM_MODULE);
}

/** Starts nginx in the foreground (`daemon off`) on `config` and waits until it accepts on `readyOn`. */
export async function startNginx(
  config: string,
  runDir: string,
  readyOn: { host: string; port: number },
): Promise<RunningHaproxy> {
  const dir = mkdtempSync(join(tmpdir(), "nginx-run-"));
  const file = join(dir, "nginx.conf");
  writeFileSync(file, config);
  // -e: the error log before the configuration is read (nginx >= 1.19.5); -p: no /var paths.
  return startListeningProcess("nginx", "nginx", ["-e", "stderr", "-p", runDir, "-c", file, "-g", "daemon off;"], {
    readyOn,
    captureLogs: false,
    removeOnStop: dir,
  });
}
