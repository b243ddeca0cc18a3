/**
 * The alarm factory: one encrypted SNS topic per stack and the only way the program creates a
 * CloudWatch alarm. Every alarm it makes notifies the topic (and the configured existing topic)
 * when it fires AND when it returns to OK, and is named `<project>-<stack>-<name>` so a page says
 * which stack it is about.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { alertKeyPolicy } from "./alertsPolicy";
import { accountPolicyJson } from "./accountPolicy";

/** Where every alarm (and its return to OK) is sent (`dbx-aoai-link:alerts` in the stack config). */
export interface AlertDestinations {
  /** Subscribed to the stack's alert topic (each address confirms by mail). @default [] */
  readonly emails: readonly string[];
  /** An existing SNS topic in `aws:region`, added as a second action of every alarm. */
  readonly topicArn?: string;
}

/** What a caller says about an alarm: everything but its name and actions, which the factory owns. */
export type AlarmArgs = Omit<
  aws.cloudwatch.MetricAlarmArgs,
  "name" | "alarmActions" | "okActions" | "insufficientDataActions"
>;

/** What components that own alarms receive (EipAssigner, ProxyTier, and the issues that add alarms). */
export interface AlarmFactory {
  /** A metric alarm named `<alarmNamePrefix><name>` whose alarm and OK actions are the alert destinations. */
  alarm(name: string, args: AlarmArgs, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm;
}

export interface AlertTopicArgs {
  readonly region: string;
  readonly alerts: AlertDestinations;
  /** Prefix of every alarm name, e.g. `dbx-aoai-link-dev-`. */
  readonly alarmNamePrefix: string;
  readonly tags?: Record<string, string>;
}

/** A stable, readable resource name for a subscription: the address itself is its identity. */
export function subscriptionName(topic: string, email: string): string {
  const slug = email
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${topic}-email-${slug.slice(0, 40)}-${crypto.createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 6)}`;
}

export class AlertTopic extends pulumi.ComponentResource implements AlarmFactory {
  public readonly key: aws.kms.Key;
  public readonly topic: aws.sns.Topic;
  /** The alarm and OK actions of every alarm: this topic, then the configured existing topic. */
  public readonly actions: pulumi.Output<string[]>;
  private readonly alarmNamePrefix: string;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:AlertTopic", name, {}, opts);
    const parent = { parent: this };
    this.alarmNamePrefix = args.alarmNamePrefix;
    const identity = aws.getCallerIdentityOutput({}, parent);

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the alert topic ${args.alarmNamePrefix}alerts; CloudWatch alarms may use it to publish`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: accountPolicyJson(args.region, identity.accountId, alertKeyPolicy),
        tags: args.tags,
      },
      parent,
    );
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        displayName: `${args.alarmNamePrefix}alerts`.slice(0, 100),
        kmsMasterKeyId: this.key.arn,
        tags: args.tags,
      },
      parent,
    );
    for (const email of args.alerts.emails) {
      new aws.sns.TopicSubscription(
        subscriptionName(name, email),
        { topic: this.topic.arn, protocol: "email", endpoint: email },
        parent,
      );
    }
    this.actions = this.topic.arn.apply((arn) => [arn, ...(args.alerts.topicArn ? [args.alerts.topicArn] : [])]);
    this.registerOutputs({ topicArn: this.topic.arn, actions: this.actions });
  }

  alarm(name: string, args: AlarmArgs, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
      name,
      {
        ...args,
        name: `${this.alarmNamePrefix}${name}`,
        alarmActions: this.actions,
        okActions: this.actions,
      },
      opts,
    );
  }
}

/** Why nobody would hear the alarms, or undefined when someone will (for `pulumi.log.warn`). */
export function alertsWarning(alerts: AlertDestinations): string | undefined {
  if (alerts.emails.length > 0 || alerts.topicArn) return undefined;
  return (
    "dbx-aoai-link:alerts is not set: alarms notify the stack's alert topic, but nobody is subscribed to it. " +
    "Fix: set alerts.emails (each address confirms by mail) and/or alerts.topicArn (an existing SNS topic in aws:region)."
  );
}
