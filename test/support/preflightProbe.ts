/**
 * Child-process probe for the preflight gate: builds an EipPool behind a failing EIP quota preflight
 * under the shared mocks and lets the rejection end the process, as `pulumi preview` would. On exit it
 * prints (last line, JSON) the resource types the mocks saw registered. Run by preflight-eip-quota.spec.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks } from "../../plan/mocks";
import { EipPool } from "../../aws/eipPool";
import { preflight, waitFor } from "../../preflight/gate";
import { checkEipQuota } from "../../preflight/eipQuota";

async function main(): Promise<void> {
  const mocks = new RecordingMocks({ awsRegion: "us-east-1" });
  await mocks.install("dbx-aoai-link", "probe");
  process.on("exit", () => console.log(JSON.stringify(mocks.resources.map((r) => r.type))));
  const facts = pulumi.output({ region: "us-east-1", poolSize: 10, poolAllocated: 0, regionAllocated: 0, quota: 5 });
  new EipPool("egress", {
    size: 10,
    tagKey: "probe-eip",
    allocateAfter: waitFor(preflight("EIP quota", facts, checkEipQuota)),
  });
}

void main();
