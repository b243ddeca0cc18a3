/**
 * Drives a `pulumi.dynamic.Resource` the way the engine does: the SDK's own dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) in a fresh Node process, over the ResourceProvider gRPC
 * service, with the closure the program serialised into `__provider`. It proves the closure
 * deserialises and runs outside the program, with credentials that arrive through `Configure` (the
 * stack config, as the engine hands it to the `pulumi-nodejs` provider) or the environment.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- protobuf messages are untyped here */
import { spawn, type ChildProcess } from "child_process";
import {
  DYNAMIC_PROVIDER_PATH,
  grpc,
  providerClient,
  providerPb,
  specialSecretSig,
  specialSigKey,
  structPb,
} from "./sdk";

export function isDynamicType(type: string): boolean {
  return type.startsWith("pulumi-nodejs:dynamic");
}

export interface DynamicProviderHostOptions {
  /** Stack config (`namespace:key` → string) handed to `Configure`, secrets marked by key. */
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  /** The host's environment (the `pulumi` process's in real life). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the host runs (its `process.cwd()`). */
  readonly cwd: string;
  /** The engine address the host is started with. */
  readonly engineAddress: string;
}

export interface DynamicDiff {
  readonly changes: boolean;
  readonly replaces: string[];
}

function call<T>(client: any, method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method](req, (err: Error | null, resp: T) => (err ? reject(err) : resolve(resp))),
  );
}

function struct(value: Record<string, unknown>): unknown {
  return structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

export class DynamicProviderHost {
  /** Everything the host printed on stderr (its own errors land there). */
  stderr = "";
  private configured: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    private readonly options: DynamicProviderHostOptions,
  ) {}

  /** Starts the host and connects to the port it prints, as the engine's plugin loader does. */
  static async start(options: DynamicProviderHostOptions): Promise<DynamicProviderHost> {
    const child = spawn(process.execPath, [DYNAMIC_PROVIDER_PATH, options.engineAddress], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`dynamic provider host printed no port in 30 s: ${stderr}`));
      }, 30_000);
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`dynamic provider host exited (${code}) before listening: ${stderr}`));
      });
    });
    const client = new providerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new DynamicProviderHost(child, client, options);
    child.stderr!.removeAllListeners("data");
    child.stderr!.on("data", (d: Buffer) => {
      host.stderr += d.toString();
    });
    host.stderr = stderr;
    return host;
  }

  /** `Configure` once, with the stack config; secret values travel wrapped as secrets. */
  configure(): Promise<void> {
    this.configured ??= (async () => {
      const args: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(this.options.config)) {
        args[key] = this.options.secretKeys.includes(key) ? { [specialSigKey]: specialSecretSig, value } : value;
      }
      const req = new providerPb.ConfigureRequest();
      req.setArgs(struct(args));
      req.setAcceptsecrets(true);
      await call(this.client, "configure", req);
    })();
    return this.configured;
  }

  async check(
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    await this.configure();
    const req = new providerPb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const resp: any = await call(this.client, "check", req);
    const failures = resp.getFailuresList().map((f: any) => `${f.getProperty()}: ${f.getReason()}`);
    if (failures.length > 0) throw new Error(`check failed for ${urn}: ${failures.join("; ")}`);
    return resp.getInputs().toJavaScript();
  }

  async diff(
    urn: string,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<DynamicDiff> {
    await this.configure();
    const req = new providerPb.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const resp: any = await call(this.client, "diff", req);
    return {
      changes: resp.getChanges() === providerPb.DiffResponse.DiffChanges.DIFF_SOME,
      replaces: resp.getReplacesList(),
    };
  }

  async create(
    urn: string,
    properties: Record<string, unknown>,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    await this.configure();
    const req = new providerPb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(properties));
    const resp: any = await call(this.client, "create", req);
    return { id: resp.getId(), outputs: resp.getProperties().toJavaScript() };
  }

  /**
   * What the engine does for a new dynamic resource: Check, then Create in an update; in a preview
   * only Check runs and the outputs the resource declares stay unknown.
   */
  async createOrPreview(
    urn: string,
    inputs: Record<string, unknown>,
    preview: boolean,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    const checked = await this.check(urn, {}, inputs);
    if (preview) return { id: "", outputs: checked };
    return this.create(urn, checked);
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill();
    await exited;
  }
}
