/**
 * The in-process Pulumi mocks for unit tests (`pulumi.runtime.setMocks`): record each registration and
 * answer with the one table of invented values (engine/inventedValues.ts — add new resource and invoke
 * cases there). `npm run plan` runs the program through the offline engine instead (engine/).
 */
import * as pulumi from "@pulumi/pulumi";
import { InventedValues, type InventedValuesOptions } from "../engine/inventedValues";
import type { RegisteredResource } from "../engine/monitor";

export {
  MOCK_AWS_ACCOUNT_ID,
  MOCK_EIP_BASE,
  MOCK_NOW,
  MOCK_AZURE_SUBSCRIPTION_ID,
  MOCK_AZURE_TENANT_ID,
} from "../engine/inventedValues";
export type RecordingMocksOptions = InventedValuesOptions;

/** The shape the plan and tests read, whether the engine or these mocks recorded it. */
export type RecordedResource = RegisteredResource;

export interface RecordedInvoke {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

/** The program's registrations answered with the invented values, recorded for the plan and tests. */
export class RecordingMocks extends InventedValues implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  readonly invokes: RecordedInvoke[] = [];
  /** Filled by the monitor hook: what `MockResourceArgs` does not carry (parent, dependsOn). */
  private readonly registrations = new Map<
    string,
    { parent?: string; dependsOn: string[]; protect: boolean; retainOnDelete: boolean; importId: string }
  >();

  reset(): void {
    this.resources.length = 0;
    this.invokes.length = 0;
    this.registrations.clear();
  }

  /**
   * Installs these mocks and hooks the mock monitor so each registration's parent and dependsOn are
   * recorded too (the mock API does not pass them to `newResource`).
   */
  /** `preview`: run as `pulumi preview` does (pulumi.runtime.isDryRun() true). */
  async install(project: string, stack: string, preview = false): Promise<void> {
    await pulumi.runtime.setMocks(this, project, stack, preview);
    type Request = {
      getType(): string;
      getName(): string;
      getParent(): string;
      getDependenciesList(): string[];
      getProtect(): boolean;
      getRetainondelete(): boolean;
      getImportid(): string;
    };
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(req: Request, cb: unknown): Promise<void>;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: Request, cb: unknown) => {
      this.registrations.set(`${req.getType()}::${req.getName()}`, {
        parent: req.getParent() || undefined,
        dependsOn: req.getDependenciesList(),
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        importId: req.getImportid(),
      });
      return register(req, cb);
    };
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const registration = this.registrations.get(`${args.type}::${args.name}`);
    const parentType = registration?.parent?.split("::")[2]?.split("$").pop();
    this.resources.push({
      urn: `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${parentType ? `${parentType}$` : ""}${args.type}::${args.name}`,
      type: args.type,
      name: args.name,
      custom: args.custom ?? true,
      parent: registration?.parent,
      provider: args.provider,
      dependsOn: registration?.dependsOn ?? [],
      protect: registration?.protect ?? false,
      ...(registration?.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(registration?.importId ? { importId: registration.importId } : {}),
      inputs: args.inputs,
      outputs: {},
    });
    if (args.custom === false) return { id: undefined, state: {} };
    const { id, outputs } = this.computed(args);
    this.resources[this.resources.length - 1].outputs = { id, ...outputs };
    return { id, state: { ...args.inputs, ...outputs } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    this.invokes.push({ token: args.token, inputs: args.inputs });
    return this.invoke(args);
  }
}
