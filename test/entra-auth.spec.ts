/**
 * `azure.auth: entra`: keyless access from the serving endpoint to Azure OpenAI. The plan must hold no
 * key read, the account must refuse keys, and the service principal may call this account only.
 */
import * as assert from "assert";
import { evaluate, type Evaluation, isSecretWire, stackConfig } from "./support/program";
import { TYPES as T } from "../plan/resourceTypes";
import { MOCK_AZURE_TENANT_ID } from "../plan/mocks";
import {
  AUTH_TAG_KEY,
  OPENAI_USER_ROLE_ID,
  secretEndDate,
  SECRET_GRACE_DAYS,
  SECRET_ROTATION_DAYS,
} from "../azure/entraAuth";
import { AZURE_KEY_SECRET_KEY, ENTRA_SECRET_KEYS } from "../databricks/servingEndpoint";
import { ConfigError } from "../config/issues";

const LIST_KEYS = "azure-native:cognitiveservices:listAccountKeys";
const ENTRA_TYPES = [T.entraApplication, T.entraServicePrincipal, T.entraPassword, T.rotating, T.roleAssignment];

describe("azure.auth", function () {
  this.timeout(60_000);

  describe("key (the default)", () => {
    let dev: Evaluation;
    before(async () => {
      dev = await evaluate(stackConfig("dev"));
    });

    it("is the default: existing stacks keep key auth", () => {
      assert.strictEqual(dev.config.azure.auth, "key");
    });

    it("reads the key, keeps local auth on, and creates no Entra identity", () => {
      assert.strictEqual(dev.invokes.filter((i) => i.token === LIST_KEYS).length, 1);
      assert.strictEqual(dev.one(T.account).inputs.properties.disableLocalAuth, false);
      assert.strictEqual(dev.one(T.account).inputs.tags[AUTH_TAG_KEY], undefined);
      for (const type of ENTRA_TYPES) assert.strictEqual(dev.all(type).length, 0, type);
    });
  });

  describe("entra", () => {
    let e: Evaluation;
    before(async () => {
      e = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:azure"].auth = "entra";
        }),
      );
    });

    it("reads no key: the plan has no listAccountKeys invoke and no key secret", () => {
      assert.deepStrictEqual(
        e.invokes.filter((i) => i.token === LIST_KEYS),
        [],
      );
      assert.deepStrictEqual(
        e.all(T.secret).filter((s) => s.inputs.key === AZURE_KEY_SECRET_KEY),
        [],
      );
      assert.ok(!JSON.stringify(e.resources.map((r) => r.inputs)).includes("mock-key1"), "no key value anywhere");
    });

    it("disables local auth on the account and declares the mode in a tag", () => {
      const account = e.one(T.account).inputs;
      assert.strictEqual(account.properties.disableLocalAuth, true);
      assert.strictEqual(account.tags[AUTH_TAG_KEY], "entra");
    });

    it("assigns Cognitive Services OpenAI User to the service principal on the account only", () => {
      const assignment = e.one(T.roleAssignment);
      assert.strictEqual(assignment.inputs.scope, e.one(T.account).outputs.id);
      assert.match(
        String(assignment.inputs.roleDefinitionId),
        new RegExp(
          `^/subscriptions/[0-9a-f-]{36}/providers/Microsoft\\.Authorization/roleDefinitions/${OPENAI_USER_ROLE_ID}$`,
        ),
      );
      assert.strictEqual(assignment.inputs.principalId, e.one(T.entraServicePrincipal).outputs.objectId);
      assert.strictEqual(assignment.inputs.principalType, "ServicePrincipal");
      assert.strictEqual(e.one(T.entraServicePrincipal).inputs.clientId, e.one(T.entraApplication).outputs.clientId);
    });

    it("rotates the client secret on a time trigger, each secret valid for a grace period past its rotation", () => {
      const rotation = e.one(T.rotating);
      assert.strictEqual(rotation.inputs.rotationDays, SECRET_ROTATION_DAYS);
      const password = e.one(T.entraPassword).inputs;
      assert.deepStrictEqual(password.rotateWhenChanged, { rotation: rotation.outputs.id });
      assert.strictEqual(password.applicationId, e.one(T.entraApplication).outputs.id);
      assert.strictEqual(password.endDate, secretEndDate(rotation.outputs.rotationRfc3339));
    });

    it("configures the external model with api type azuread and the client secret by reference", () => {
      const openai = e.one(T.serving).inputs.config.servedEntities[0].externalModel.openaiConfig;
      const secretRef = (key: string) => `{{secrets/aoai-link-dev/${key}}}`;
      assert.strictEqual(openai.openaiApiType, "azuread");
      assert.strictEqual(openai.openaiApiKey, undefined);
      assert.strictEqual(openai.microsoftEntraClientId, e.one(T.entraApplication).outputs.clientId);
      assert.strictEqual(openai.microsoftEntraTenantId, MOCK_AZURE_TENANT_ID);
      assert.strictEqual(openai.microsoftEntraClientSecret, secretRef(ENTRA_SECRET_KEYS.clientSecret));
      assert.strictEqual(openai.microsoftEntraClientSecretPlaintext, undefined);
    });

    it("holds client id, tenant id and secret in the Databricks secret scope, as secrets", () => {
      const secrets = e.all(T.secret);
      assert.deepStrictEqual(secrets.map((s) => s.inputs.key).sort(), Object.values(ENTRA_SECRET_KEYS).sort());
      for (const s of secrets) {
        assert.ok(isSecretWire(s.inputs.stringValue), `${s.inputs.key} is a secret in state`);
        assert.strictEqual(s.inputs.scope, "aoai-link-dev");
      }
    });

    it("names the app registration after the stack (or namePrefix)", () => {
      assert.strictEqual(e.one(T.entraApplication).inputs.displayName, "dbx-aoai-link-dev-serving");
    });

    it("creates no identity when no serving endpoint is configured", async () => {
      const bare = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:azure"].auth = "entra";
          delete raw["dbx-aoai-link:databricks"].servingEndpoint;
        }),
      );
      for (const type of ENTRA_TYPES) assert.strictEqual(bare.all(type).length, 0, type);
      assert.strictEqual(bare.one(T.account).inputs.properties.disableLocalAuth, true);
      assert.deepStrictEqual(
        bare.invokes.filter((i) => i.token === LIST_KEYS),
        [],
      );
    });
  });

  it("refuses an unknown mode, naming the key and the choices", () => {
    assert.throws(
      () =>
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:azure"].auth = "aad";
        }),
      (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /dbx-aoai-link:azure\.auth = "aad": is not an auth mode\. Fix: use key .* or entra/);
        return true;
      },
    );
  });

  it("secretEndDate adds the grace period to the rotation time", () => {
    assert.strictEqual(secretEndDate("2027-03-01T00:00:00Z"), "2027-03-31T00:00:00Z");
    assert.strictEqual(SECRET_GRACE_DAYS, 30);
    assert.throws(() => secretEndDate("soon"), /not an RFC 3339 time: "soon"/);
  });
});
