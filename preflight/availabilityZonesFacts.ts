/** Reads the AZ preflight's facts through invokes (run at preview; answered by engine/inventedValues.ts offline). */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ZoneFacts } from "./availabilityZones";

export interface ZoneFactsArgs {
  readonly region: string;
  readonly instanceType: string;
  readonly wanted: number;
  readonly pinnedIds?: readonly string[];
}

export function readZoneFacts(args: ZoneFactsArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<ZoneFacts> {
  const zones = aws.getAvailabilityZonesOutput(
    {
      state: "available",
      // Local Zones and Wavelength zones are opt-in; NLBs and endpoint services belong in regular AZs.
      filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    },
    opts,
  );
  const offerings = aws.ec2.getInstanceTypeOfferingsOutput(
    {
      locationType: "availability-zone-id",
      filters: [{ name: "instance-type", values: [args.instanceType] }],
    },
    opts,
  );
  return pulumi.all([zones, offerings]).apply(([z, o]) => ({
    region: args.region,
    instanceType: args.instanceType,
    wanted: args.wanted,
    ...(args.pinnedIds ? { pinnedIds: args.pinnedIds } : {}),
    zones: z.names.map((name, i) => ({ name, id: z.zoneIds[i] })),
    offeredIds: o.locations,
  }));
}
