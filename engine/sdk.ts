/**
 * What the offline engine takes from `@pulumi/pulumi`: the gRPC runtime and service definitions the
 * SDK itself talks over, and the wire constants its serializer uses. Loaded from the SDK's own
 * installation so both sides of the wire run the same code; nothing of the protocol is written here.
 */
import type * as GrpcJs from "@grpc/grpc-js";
import * as path from "path";

const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/** A module as the SDK resolves it (its own dependencies, e.g. @grpc/grpc-js, google-protobuf). */
function fromSdk<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(id, { paths: [sdkRoot] })) as T;
}

export const grpc = fromSdk<typeof GrpcJs>("@grpc/grpc-js");

/* eslint-disable @typescript-eslint/no-explicit-any -- generated protobuf modules ship loose typings */
export const resourceService = fromSdk<any>("@pulumi/pulumi/proto/resource_grpc_pb").ResourceMonitorService;
export const engineService = fromSdk<any>("@pulumi/pulumi/proto/engine_grpc_pb").EngineService;
export const providerClient = fromSdk<any>("@pulumi/pulumi/proto/provider_grpc_pb").ResourceProviderClient;
export const resourcePb = fromSdk<any>("@pulumi/pulumi/proto/resource_pb");
export const providerPb = fromSdk<any>("@pulumi/pulumi/proto/provider_pb");
export const enginePb = fromSdk<any>("@pulumi/pulumi/proto/engine_pb");
export const pluginPb = fromSdk<any>("@pulumi/pulumi/proto/plugin_pb");
export const structPb = fromSdk<any>("google-protobuf/google/protobuf/struct_pb");
export const emptyPb = fromSdk<any>("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The serializer's markers (`@pulumi/pulumi/runtime/rpc`): secrets, unknowns and resource references. */
export const { specialSigKey, specialSecretSig, specialAssetSig, specialArchiveSig, unknownValue } = fromSdk<{
  specialSigKey: string;
  specialSecretSig: string;
  specialAssetSig: string;
  specialArchiveSig: string;
  unknownValue: string;
}>("@pulumi/pulumi/runtime/rpc");

/** Paths of the SDK's own hosts: the program host the Node.js language host starts, and the dynamic provider host. */
export const RUN_PATH = path.join(sdkRoot, "cmd", "run");
export const DYNAMIC_PROVIDER_PATH = path.join(sdkRoot, "cmd", "dynamic-provider");
