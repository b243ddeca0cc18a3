import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as authorization from "@pulumi/azure-native/authorization";
import * as time from "@pulumiverse/time";
import { openAiUserRoleDefinitionId, secretEndDate, SECRET_ROTATION_DAYS } from "./entraAuth";

export interface EntraServicePrincipalArgs {
  /** Display name of the app registration (the directory is shared: make it say whose it is). */
  readonly displayName: string;
  /**
   * The Azure OpenAI accounts the principal may call, keyed by a stable name (the account name): the
   * role is assigned on each account's resource id, nothing wider.
   */
  readonly accounts: readonly { readonly key: string; readonly id: pulumi.Input<string> }[];
  /** @default SECRET_ROTATION_DAYS (90) */
  readonly rotationDays?: number;
}

/**
 * The identity Databricks calls Azure OpenAI with when keys are off: an app registration, its service
 * principal, a client secret that rotates, and the role "Cognitive Services OpenAI User" on each account.
 *
 * Rotation: a `time.Rotating` trigger (pattern from the azuread provider's ApplicationPassword docs)
 * expires after `rotationDays`; the first `pulumi up` after that replaces the password
 * (create-before-delete, so the Databricks secret is rewritten before the old secret goes), and the
 * old one is removed. Each secret stays valid for a grace period past its rotation date.
 */
export class EntraServicePrincipal extends pulumi.ComponentResource {
  public readonly clientId: pulumi.Output<string>;
  public readonly tenantId: pulumi.Output<string>;
  /** Always a secret. */
  public readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: EntraServicePrincipalArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:azure:EntraServicePrincipal", name, {}, opts);
    const parent = { parent: this };
    const client = authorization.getClientConfigOutput(parent);

    const app = new azuread.ApplicationRegistration(
      `${name}-app`,
      {
        displayName: args.displayName,
        signInAudience: "AzureADMyOrg",
      },
      parent,
    );
    const principal = new azuread.ServicePrincipal(`${name}-sp`, { clientId: app.clientId }, parent);
    const rotation = new time.Rotating(
      `${name}-rotation`,
      { rotationDays: args.rotationDays ?? SECRET_ROTATION_DAYS },
      parent,
    );
    const password = new azuread.ApplicationPassword(
      `${name}-secret`,
      {
        applicationId: app.id,
        displayName: "databricks-serving",
        endDate: rotation.rotationRfc3339.apply((at) => secretEndDate(at)),
        rotateWhenChanged: { rotation: rotation.id },
      },
      parent,
    );

    for (const account of args.accounts)
      new authorization.RoleAssignment(
        `${name}-openai-user-${account.key}`,
        {
          principalId: principal.objectId,
          // Without the type, Azure looks the principal up and may not find a brand-new one yet.
          principalType: authorization.PrincipalType.ServicePrincipal,
          roleDefinitionId: client.subscriptionId.apply(openAiUserRoleDefinitionId),
          scope: account.id,
        },
        parent,
      );

    this.clientId = app.clientId;
    this.tenantId = client.tenantId;
    this.clientSecret = pulumi.secret(password.value);
    this.registerOutputs({ clientId: this.clientId, tenantId: this.tenantId });
  }
}
