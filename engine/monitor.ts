/**
 * The engine side of the wire, offline: a ResourceMonitor and an Engine gRPC service built on the
 * service definitions `@pulumi/pulumi` ships. It answers a program started by `cmd/run` the way the
 * Pulumi engine does, with values from the one table of invented values (plan/mocks.ts):
 * - **preview** (`--dry-run`): a new resource's id and every provider-computed output are unknown,
 *   exactly the keys the table would invent; inputs echo back as known;
 * - **update**: the invented values, as if the providers had created everything.
 * Invokes (data sources) run at preview too, as with the real engine, and answer from the same table.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- protobuf messages are untyped here */
import type * as grpcTypes from "@grpc/grpc-js";
import { InventedValues } from "./inventedValues";
import { aliasUrns, type AliasSpec } from "./aliases";
import { type DynamicProviderHost, isDynamicType } from "./dynamicProvider";
import {
  emptyPb,
  enginePb,
  engineService,
  grpc,
  providerPb,
  resourcePb,
  resourceService,
  structPb,
  unknownValue,
} from "./sdk";

export type EngineMode = "preview" | "update";

/**
 * Features the 3.248 SDK asks about (`runtime/settings.ts` `awaitFeatureSupport`) and our answer.
 * Supported: what the program relies on or what changes what it observes. Unsupported ones only change
 * how the SDK encodes inputs (references and output values are sent resolved instead), or are program
 * features this program does not use (transforms, hooks, parameterized packages).
 */
export const FEATURES: Readonly<Record<string, boolean>> = {
  secrets: true,
  deletedWith: true,
  aliasSpecs: true,
  resourceReferences: false,
  outputValues: false,
  replaceWith: false,
  transforms: false,
  invokeTransforms: false,
  parameterization: false,
  resourceHooks: false,
  errorHooks: false,
};

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** A registered resource as the plan and tests read it, from the engine or from the in-process mocks. */
export interface RegisteredResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string | undefined;
  /** `<provider URN>::<provider id>` for an explicit provider. */
  readonly provider: string | undefined;
  readonly dependsOn: readonly string[];
  /** The `protect` resource option. */
  readonly protect: boolean;
  /** The `retainOnDelete` resource option (absent: false). */
  readonly retainOnDelete?: boolean;
  /** The `import` resource option: the id of the existing resource adopted (absent: none). */
  readonly importId?: string;
  readonly inputs: Record<string, unknown>;
  /** What was answered as outputs (empty for components until they register theirs). */
  outputs: Record<string, unknown>;
}

/** One registration as the engine saw it: the shared shape plus the options and id. */
export interface Registration extends RegisteredResource {
  /** The other resource options the engine receives, for the plan and policy checks. */
  readonly options: {
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    readonly replaceOnChanges: readonly string[];
    readonly retainOnDelete: boolean;
    readonly importId: string | undefined;
    readonly deletedWith: string | undefined;
    /** The old URNs the resource declares (`aliases`, collapsed and inherited as the engine does: aliases.ts). */
    readonly aliases: readonly string[];
    readonly additionalSecretOutputs: readonly string[];
  };
  readonly id: string | undefined;
}

export interface LogEntry {
  readonly severity: "debug" | "info" | "warning" | "error";
  readonly message: string;
  readonly urn: string | undefined;
}

export interface InvokeRecord {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

export interface MonitorOptions {
  readonly mode: EngineMode;
  readonly stack: string;
  readonly project: string;
  readonly awsRegion: string;
}

const SEVERITY: Record<number, LogEntry["severity"]> = { 0: "debug", 1: "info", 2: "warning", 3: "error" };

type Json = Record<string, unknown>;

/**
 * Preview's view of a create: inputs stay known, every key the provider computes is unknown (nested
 * objects merged key by key, e.g. an Azure account's `properties.endpoint`).
 */
export function previewOutputs(inputs: Json, computed: Json): Json {
  const out: Json = { ...inputs };
  for (const [key, value] of Object.entries(computed)) {
    const input = inputs[key];
    if (input === undefined) out[key] = unknownValue;
    else if (isPlainObject(input) && isPlainObject(value)) out[key] = previewOutputs(input, value);
  }
  return out;
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A proto `Alias` as plain data. */
function aliasSpecOf(alias: any): AliasSpec {
  if (alias.hasUrn()) return { urn: alias.getUrn() };
  const spec = alias.getSpec();
  return {
    name: spec?.getName(),
    type: spec?.getType(),
    stack: spec?.getStack(),
    project: spec?.getProject(),
    parentUrn: spec?.hasParenturn() ? spec.getParenturn() : undefined,
    noParent: spec?.hasNoparent() ? spec.getNoparent() : false,
  };
}

/** Drops `undefined` (which a protobuf Struct cannot carry) the way JSON does. */
function toStruct(value: Json): unknown {
  return structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

export class OfflineEngine {
  readonly registrations: Registration[] = [];
  readonly logs: LogEntry[] = [];
  readonly invokes: InvokeRecord[] = [];
  readonly packages: { name: string; version: string }[] = [];
  rootUrn: string | undefined;
  private readonly invented: InventedValues;
  private readonly byUrn = new Map<string, Registration>();
  private server: grpcTypes.Server | undefined;
  /** When set, `pulumi-nodejs:dynamic:*` resources go to the real dynamic-provider host. */
  private dynamicProviders: DynamicProviderHost | undefined;

  constructor(private readonly options: MonitorOptions) {
    this.invented = new InventedValues({ awsRegion: options.awsRegion });
  }

  /** The root stack's outputs: what `index.ts` exports. */
  get stackOutputs(): Json {
    return (this.rootUrn && this.byUrn.get(this.rootUrn)?.outputs) || {};
  }

  /** Starts both services on one loopback port; returns `127.0.0.1:<port>`. */
  async start(): Promise<string> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(resourceService, this.monitorHandlers());
    server.addService(engineService, this.engineHandlers());
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.server = server;
    return `127.0.0.1:${port}`;
  }

  /** Sends dynamic resources to the SDK's dynamic-provider host instead of the invented values. */
  useDynamicProviders(host: DynamicProviderHost): void {
    this.dynamicProviders = host;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  /** The engine's URN: the parent's type chain, except the root stack's (`pulumi/pkg/resource/deploy`). */
  private urnOf(type: string, name: string, parent: string | undefined): string {
    const parentType = parent && this.byUrn.get(parent)?.type !== ROOT_STACK_TYPE ? parent.split("::")[2] : undefined;
    return `urn:pulumi:${this.options.stack}::${this.options.project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
  }

  private async register(req: any): Promise<{ urn: string; id: string; object: Json }> {
    const type: string = req.getType();
    const name: string = req.getName();
    const parent: string | undefined = req.getParent() || undefined;
    const custom: boolean = req.getCustom();
    const urn = this.urnOf(type, name, parent);
    if (this.byUrn.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    const inputs = (req.getObject()?.toJavaScript() ?? {}) as Json;
    let id: string | undefined;
    let outputs: Json = {};
    if (custom) {
      ({ id, outputs } = await this.outputsFor(type, name, urn, inputs));
    }
    const registration: Registration = {
      urn,
      type,
      name,
      custom,
      parent,
      provider: req.getProvider() || undefined,
      dependsOn: req.getDependenciesList(),
      protect: req.getProtect() === true,
      ...(req.getRetainondelete() === true ? { retainOnDelete: true } : {}),
      ...(req.getImportid() ? { importId: req.getImportid() as string } : {}),
      options: {
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        retainOnDelete: req.getRetainondelete() === true,
        importId: req.getImportid() || undefined,
        deletedWith: req.getDeletedwith() || undefined,
        aliases: aliasUrns({
          stack: this.options.stack,
          project: this.options.project,
          type,
          name,
          parent,
          aliases: [
            ...req.getAliasurnsList().map((urn: string) => ({ urn })),
            ...req.getAliasesList().map(aliasSpecOf),
          ],
          parentAliases: (parent && this.byUrn.get(parent)?.options.aliases) || [],
        }),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      },
      inputs,
      outputs,
      id,
    };
    this.registrations.push(registration);
    this.byUrn.set(urn, registration);
    return { urn, id: id ?? "", object: outputs };
  }

  private async outputsFor(
    type: string,
    name: string,
    urn: string,
    inputs: Json,
  ): Promise<{ id: string; outputs: Json }> {
    const preview = this.options.mode === "preview";
    if (isDynamicType(type) && this.dynamicProviders) {
      return this.dynamicProviders.createOrPreview(urn, inputs, preview);
    }
    const invented = this.invented.computed({ type, name, inputs });
    if (preview) return { id: "", outputs: previewOutputs(inputs, invented.outputs) };
    return { id: invented.id, outputs: { ...inputs, ...invented.outputs } };
  }

  private monitorHandlers(): grpcTypes.UntypedServiceImplementation {
    const unary = (fn: (req: any) => Promise<unknown> | unknown) => (call: any, callback: any) => {
      Promise.resolve()
        .then(() => fn(call.request))
        .then(
          (resp) => callback(null, resp),
          (err: Error) => callback({ code: grpc.status.UNKNOWN, details: err.message, message: err.message }),
        );
    };
    const unimplemented = (what: string) => (_call: unknown, callback: any) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not supported by the offline engine` });
    return {
      supportsFeature: unary((req) =>
        new resourcePb.SupportsFeatureResponse().setHassupport(FEATURES[req.getId()] === true),
      ),
      registerResource: unary(async (req) => {
        const { urn, id, object } = await this.register(req);
        const resp = new resourcePb.RegisterResourceResponse();
        resp.setUrn(urn);
        resp.setId(id);
        resp.setObject(toStruct(object));
        return resp;
      }),
      registerResourceOutputs: unary((req) => {
        const registration = this.byUrn.get(req.getUrn());
        if (!registration) throw new Error(`RegisterResourceOutputs for unknown URN ${req.getUrn()}`);
        registration.outputs = (req.getOutputs()?.toJavaScript() ?? {}) as Json;
        return new emptyPb.Empty();
      }),
      invoke: unary((req) => {
        const token: string = req.getTok();
        const inputs = (req.getArgs()?.toJavaScript() ?? {}) as Json;
        this.invokes.push({ token, inputs });
        const result = this.invented.invoke({ token, inputs });
        return new providerPb.InvokeResponse().setReturn(toStruct(result));
      }),
      readResource: unary((req) => {
        const type: string = req.getType();
        const name: string = req.getName();
        const urn = this.urnOf(type, name, req.getParent() || undefined);
        const props = (req.getProperties()?.toJavaScript() ?? {}) as Json;
        const { outputs } = this.invented.computed({ type, name, inputs: props });
        const resp = new resourcePb.ReadResourceResponse();
        resp.setUrn(urn);
        resp.setProperties(toStruct({ ...props, ...outputs }));
        return resp;
      }),
      registerPackage: unary((req) => {
        this.packages.push({ name: req.getName(), version: req.getVersion() });
        return new resourcePb.RegisterPackageResponse().setRef(`${req.getName()}@${req.getVersion()}`);
      }),
      signalAndWaitForShutdown: unary(() => new emptyPb.Empty()),
      call: unimplemented("Call (multi-language components)"),
      getDeploymentInfo: unimplemented("GetDeploymentInfo"),
      registerStackTransform: unimplemented("RegisterStackTransform"),
      registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
      registerResourceHook: unimplemented("RegisterResourceHook"),
      registerErrorHook: unimplemented("RegisterErrorHook"),
    };
  }

  private engineHandlers(): grpcTypes.UntypedServiceImplementation {
    return {
      log: (call: any, callback: any) => {
        const req = call.request;
        this.logs.push({
          severity: SEVERITY[req.getSeverity()] ?? "info",
          message: req.getMessage(),
          urn: req.getUrn() || undefined,
        });
        callback(null, new emptyPb.Empty());
      },
      getRootResource: (_call: any, callback: any) =>
        callback(null, new enginePb.GetRootResourceResponse().setUrn(this.rootUrn ?? "")),
      setRootResource: (call: any, callback: any) => {
        this.rootUrn = call.request.getUrn();
        callback(null, new enginePb.SetRootResourceResponse());
      },
      requirePulumiVersion: (_call: any, callback: any) => callback(null, new enginePb.RequirePulumiVersionResponse()),
      startDebugging: (_call: any, callback: any) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: "no debugger offline" }),
    };
  }
}
