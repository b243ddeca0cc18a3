/**
 * The reference blog's HAProxy configuration, reproduced for comparison only: mode tcp, one
 * `server` line with a TCP-connect `check`, 50 s client/server timeouts, no `timeout tunnel`,
 * no SNI allow list, no resolvers. Logging matches ours so benchmarks compare like with like.
 */
export interface ReferenceConfigOptions {
  readonly bindAddress: string;
  readonly port: number;
  /**
   * `host:port` of the upstream. The blog names the FQDN, resolved once at start; tests give the
   * address it would have resolved to (nothing on loopback resolves the Azure name through libc).
   */
  readonly server: string;
  /** @default 50 (the blog's value; tests scale it down) */
  readonly timeoutSeconds?: number;
}

export function renderReferenceConfig({
  bindAddress,
  port,
  server,
  timeoutSeconds = 50,
}: ReferenceConfigOptions): string {
  return [
    "global",
    "    log stdout format short daemon",
    "",
    "defaults",
    "    mode tcp",
    "    log global",
    "    option tcplog",
    "    timeout connect 5s",
    `    timeout client ${timeoutSeconds}s`,
    `    timeout server ${timeoutSeconds}s`,
    "",
    "frontend aoai_in",
    `    bind ${bindAddress}:${port}`,
    "    default_backend aoai",
    "",
    "backend aoai",
    `    server aoai ${server} check`,
    "",
  ].join("\n");
}
