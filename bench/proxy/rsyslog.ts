/**
 * Real rsyslog for the log-shipping test: the drop-in an instance writes to /etc/rsyslog.d/,
 * included from a main file of our own that stands in for the distribution's rsyslog.conf, run by
 * `rsyslogd -n` in the foreground and always stopped. No root needed: the port is unprivileged, the
 * pid file and every other path sit in a temporary folder, and nothing in the drop-in keeps state
 * (no disk queue, no imfile), so no `global(workDirectory=…)` either (checked with rsyslog 8.2302
 * run as `nobody`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createSocket } from "node:dgram";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENV, startListeningProcess, type RunningHaproxy } from "./haproxy";

/** "rsyslogd 8.2302.0 (aka 2023.02)" from `rsyslogd -v`, or undefined when no rsyslogd is installed. */
export function rsyslogdVersion(): string | undefined {
  const result = spawnSync("rsyslogd", ["-v"], { env: ENV, encoding: "utf8", timeout: 10_000 });
  return result.status === 0
    ? result.stdout
        .split("\n")[0]
        .replace(/\s+/g, " ")
        .replace(/ compiled with:$/, "")
    : undefined;
}

/** A UDP port free on `host` right now (the kernel picks it; the caller binds it soon after). */
export function freeUdpPort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/**
 * The main file and the drop-in written into `dir`; returns the main file's path. `afterInclude` stands
 * in for the distribution's own rules, which the RPM-family rsyslog.conf puts after its include of
 * /etc/rsyslog.d/*.conf (rsyslog/rsyslog platform/redhat/rsyslog.conf).
 */
function writeConfig(dir: string, dropIn: string, afterInclude = ""): string {
  const dropInFile = join(dir, "rsyslog.d.conf");
  const mainFile = join(dir, "rsyslog.conf");
  writeFileSync(dropInFile, dropIn);
  writeFileSync(mainFile, `include(file="${dropInFile}")\n${afterInclude}`);
  return mainFile;
}

/** `rsyslogd -N1`: rsyslog's own validation of a drop-in (exit 1 on any error, which a running rsyslogd only prints). */
export function rsyslogdCheck(dropIn: string): { readonly ok: boolean; readonly output: string } {
  const dir = mkdtempSync(join(tmpdir(), "rsyslog-check-"));
  try {
    const result = spawnSync("rsyslogd", ["-N1", "-f", writeConfig(dir, dropIn)], {
      env: ENV,
      encoding: "utf8",
      timeout: 20_000,
    });
    return {
      ok: result.status === 0,
      output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts `rsyslogd -n` on the drop-in (and `afterInclude`, the distribution's part of the main file)
 * and resolves once its UDP input is bound on host:port.
 */
export function startRsyslogd(
  dropIn: string,
  listen: { readonly host: string; readonly port: number },
  afterInclude = "",
): Promise<RunningHaproxy> {
  const dir = mkdtempSync(join(tmpdir(), "rsyslog-run-"));
  const mainFile = writeConfig(dir, dropIn, afterInclude);
  return startListeningProcess("rsyslogd", "rsyslogd", ["-n", "-f", mainFile, "-i", join(dir, "pid")], {
    readyOn: { ...listen, protocol: "udp" },
    removeOnStop: dir,
  });
}
