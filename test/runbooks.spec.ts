/**
 * docs/runbooks.md cannot drift from the code: every config key, npm script, stack output, port, path,
 * unit, URN and number it names is checked against the source it comes from. Pure: reads the markdown
 * and the repository's files, renders the HAProxy config and user data, validates stack configs.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/issues";
import { parseRawConfig } from "../config/load";
import { validateStackConfig } from "../config/validate";
import { CONFIG_DEFAULTS } from "../config/defaults";
import { PROJECT } from "../config/types";
import { readStackConfigFile } from "../plan/run";
import { TYPES } from "../plan/resourceTypes";
import { PROXY_PORTS, REFRESH_WARMUP_SECONDS } from "../aws/constants";
import { RESOLVERS_SECTION, renderHaproxyConfig } from "../aws/haproxyConfig";
import { renderUserData } from "../aws/userData";
import { refreshMaxHealthyPercentage } from "../aws/capacity";
import { SECRET_GRACE_DAYS, SECRET_ROTATION_DAYS } from "../azure/entraAuth";
import { AZURE_KEY_SECRET_KEY, ENTRA_SECRET_KEYS } from "../databricks/servingEndpoint";

const ROOT = path.resolve(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const RUNBOOK = read("docs/runbooks.md");
const all = (re: RegExp, text = RUNBOOK) => [...text.matchAll(re)];
const unique = (xs: string[]) => [...new Set(xs)].sort();

/** The raw config of a stack file, as the program receives it. */
const rawConfig = (stack: string) =>
  parseRawConfig(readStackConfigFile(path.join(ROOT, `Pulumi.${stack}.yaml`)).values) as Record<string, any>;

/**
 * Config keys validation rejects as unknown, among `keys` (`block.key.sub`): each is set on the dev
 * stack's config (its own value when it has one) and the stack validated.
 */
function unknownConfigKeys(keys: readonly string[]): string[] {
  const raw = rawConfig("dev");
  for (const key of keys) {
    const [block, ...rest] = key.split(".");
    if (rest.length === 0) {
      raw[`${PROJECT}:${block}`] ??= "x";
      continue;
    }
    let node = (raw[`${PROJECT}:${block}`] ??= {});
    for (const part of rest.slice(0, -1)) node = node[part] ??= {};
    node[rest[rest.length - 1]] ??= "x";
  }
  try {
    validateStackConfig("dev", raw);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.issues
      .filter((i) => /unknown key/.test(i.problem))
      .map((i) => i.key.slice(PROJECT.length + 1))
      .filter((k) => keys.includes(k));
  }
}

const RENDERED_CONFIG = renderHaproxyConfig({
  allowedFqdns: ["contoso-aoai-dev.openai.azure.com"],
  vpcCidr: "10.42.0.0/16",
});
const RENDERED_USER_DATA = renderUserData({
  haproxyConfig: RENDERED_CONFIG,
  watchdog: { healthPort: PROXY_PORTS.health },
});

describe("docs/runbooks.md names only what exists", () => {
  it("every config key it names is one validation knows (and a misspelt one would be caught)", () => {
    // `proxy.eipPoolSize`, `<azure.accountName>`: not preceded by a word character, a dot, a dash or a slash
    // (so openai.azure.com and docs.databricks.com are not read as keys).
    const keys = unique([
      ...all(/(?<![\w.\-/])((?:azure|proxy|databricks|alerts)(?:\.[a-zA-Z]+)+)/g).map((m) => m[1]),
      ...(RUNBOOK.includes("`namePrefix`") ? ["namePrefix"] : []),
    ]);
    assert.ok(keys.length >= 10, `found only ${keys.join(", ")}`);
    assert.deepStrictEqual(unknownConfigKeys(keys), []);
    assert.deepStrictEqual(unknownConfigKeys(["proxy.desiredCapacty"]), ["proxy.desiredCapacty"]);
  });

  it("every npm script it runs is in package.json", () => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: object }).scripts);
    const used = unique(all(/npm run ([\w:-]+)/g).map((m) => m[1]));
    assert.ok(used.length > 0);
    assert.deepStrictEqual(
      used.filter((s) => !scripts.includes(s)),
      [],
    );
  });

  it("every stack output it reads is in the outputs contract", () => {
    const contract = read("docs/architecture.md").split("## Stack outputs contract")[1].split("\n## ")[0];
    const outputs = all(/^- `(\w+)`/gm, contract).map((m) => m[1]);
    const used = unique(all(/pulumi stack output (\w+)/g).map((m) => m[1]));
    assert.ok(used.length > 0);
    assert.deepStrictEqual(
      used.filter((o) => !outputs.includes(o)),
      [],
    );
  });

  it("the ports, admin socket, resolvers section and systemd units are the ones the rendered proxy has", () => {
    const ports = unique(all(/127\.0\.0\.1:(\d+)/g).map((m) => m[1]));
    assert.deepStrictEqual(ports, unique([PROXY_PORTS.health, PROXY_PORTS.metrics].map(String)));
    for (const port of ports) assert.match(RENDERED_CONFIG, new RegExp(`bind :${port}\\n`));
    assert.match(RUNBOOK, /`PROXY_PORTS\.health`/);
    assert.match(RUNBOOK, /`PROXY_PORTS\.metrics`/);

    const socket = /stats socket (\S+)/.exec(RENDERED_CONFIG)![1];
    const sockets = unique(all(/socat stdio (\S+)/g).map((m) => m[1]));
    assert.deepStrictEqual(sockets, [socket]);
    assert.match(RUNBOOK, new RegExp(`admin socket \`${socket}\``));
    assert.match(RENDERED_CONFIG, /stats uri \/stats\n/);
    assert.match(RUNBOOK, /127\.0\.0\.1:\d+\/stats;csv/);

    assert.deepStrictEqual(unique(all(/show resolvers (\w+)/g).map((m) => m[1])), [RESOLVERS_SECTION]);
    assert.match(RENDERED_CONFIG, /^\s+log stdout /m);

    const units = unique(all(/journalctl -u ([\w-]+)/g).map((m) => m[1]));
    assert.deepStrictEqual(units, ["dbx-aoai-link-watchdog", "haproxy"]);
    assert.match(RENDERED_USER_DATA, /systemctl enable --now haproxy\n/);
    assert.match(RENDERED_USER_DATA, /systemctl enable --now dbx-aoai-link-watchdog\.service\n/);
    assert.match(RENDERED_USER_DATA, /\/var\/log\/cloud-init-output\.log/);
  });

  it("the instance refresh it starts has the program's warm-up and, per stack, its maximum healthy percentage", () => {
    const warmups = unique(all(/"InstanceWarmup":(\d+)/g).map((m) => m[1]));
    assert.deepStrictEqual(warmups, [String(REFRESH_WARMUP_SECONDS)]);
    const perStack = all(/(\d+) for (\w+)\s+\(pool (\d+), max (\d+)\)/g);
    assert.deepStrictEqual(perStack.map((m) => m[2]).sort(), ["dev", "prod"]);
    for (const [, percent, stack, pool, max] of perStack) {
      const proxy = rawConfig(stack)[`${PROJECT}:proxy`];
      assert.deepStrictEqual([Number(pool), Number(max)], [proxy.eipPoolSize, proxy.maxSize], stack);
      assert.strictEqual(Number(percent), refreshMaxHealthyPercentage(proxy.maxSize, proxy.eipPoolSize), stack);
    }
    const dev = rawConfig("dev")[`${PROJECT}:proxy`];
    assert.deepStrictEqual(unique(all(/"MaxHealthyPercentage":(\d+)/g).map((m) => m[1])), [
      String(refreshMaxHealthyPercentage(dev.maxSize, dev.eipPoolSize)),
    ]);
    assert.match(
      RUNBOOK,
      new RegExp(`maxInstanceLifetimeDays\` \\(default ${CONFIG_DEFAULTS.proxy.maxInstanceLifetimeDays};`),
    );
  });

  it("the secrets, rotation periods and alarm and dashboard names are the program's", () => {
    const secretKeys = unique(all(/`(azure-[a-z-]+)`/g).map((m) => m[1]));
    assert.deepStrictEqual(secretKeys, unique([AZURE_KEY_SECRET_KEY, ENTRA_SECRET_KEYS.clientSecret]));
    assert.match(RUNBOOK, new RegExp(`every\\s+${SECRET_ROTATION_DAYS} days \\(\`SECRET_ROTATION_DAYS\`\\)`));
    assert.match(
      RUNBOOK,
      new RegExp(`valid\\s+${SECRET_GRACE_DAYS} days past its rotation date \\(\`SECRET_GRACE_DAYS\`\\)`),
    );
    const source = read("aws/proxyTier.ts") + read("program.ts");
    for (const [, suffix] of all(/`<prefix>([\w-]+)`/g)) {
      const logical = suffix.replace(/^proxy-/, "");
      assert.ok(source.includes(`-${logical}\``) || source.includes(`}${suffix}\``), suffix);
    }
  });

  it("every URN it writes has the program's types and component names", () => {
    const sources = ["aws", "azure", "databricks"].flatMap((dir) =>
      fs.readdirSync(path.join(ROOT, dir)).map((f) => read(path.join(dir, f))),
    );
    const components = new Map(
      sources.flatMap((text) => {
        const token = /super\("(dbx-aoai-link:[\w:]+)"/.exec(text)?.[1];
        const cls = /export class (\w+) extends pulumi\.ComponentResource/.exec(text)?.[1];
        return token && cls ? [[token, cls] as const] : [];
      }),
    );
    const types = new Set<string>(Object.values(TYPES));
    const program = read("program.ts");
    const urns = all(/urn:pulumi:<stack>::([\w-]+)::([^:'`\s]+(?::[^:'`\s]+)*)::([\w-]+)/g);
    assert.ok(urns.length >= 2);
    for (const [urn, project, chain, name] of urns) {
      assert.strictEqual(project, PROJECT, urn);
      const [component, ...rest] = chain.split("$");
      assert.ok(components.has(component), `${urn}: ${component} is no component of the program`);
      for (const type of rest) assert.ok(types.has(type), `${urn}: ${type} is not in plan/resourceTypes.ts`);
      const base = new RegExp(`new ${components.get(component)}\\("([\\w-]+)"`).exec(program)?.[1];
      assert.ok(base && name.startsWith(`${base}-`), `${urn}: the program names the component ${base}`);
    }
  });
});
