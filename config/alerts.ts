/**
 * `dbx-aoai-link:alerts`: who hears the alarms. Email addresses get a subscription on the stack's
 * alert topic; an existing SNS topic (a pager or chat bridge) is added as a second action of every
 * alarm. Pure: reads the raw block, reports problems to the collector.
 */
import { type IssueCollector } from "./issues";
import { ALERTS_KEYS, configKey } from "./keys";
import type { AlertsConfig } from "./types";

export const ALERTS_KEY = configKey("alerts");

/** Deliberately loose: SNS confirms the address by mail; this only catches slips like a missing @. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** arn:<partition>:sns:<region>:<account>:<topic name>. */
const TOPIC_ARN = /^arn:(aws|aws-us-gov|aws-cn):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/;

/**
 * The alerts block, or `{ emails: [] }` when absent (the topic is still created and every alarm
 * still has an action; the plan warns that nobody is subscribed). undefined when invalid.
 */
export function readAlerts(c: IssueCollector, value: unknown, awsRegion: string | undefined): AlertsConfig | undefined {
  const o = c.object(ALERTS_KEY, value ?? {}, false);
  if (!o) return undefined;
  c.unknownKeys(ALERTS_KEY, o, ALERTS_KEYS);
  const list = c.array(`${ALERTS_KEY}.emails`, o.emails);
  if (!list) return undefined;
  const emails: string[] = [];
  list.forEach((entry, i) => {
    if (typeof entry !== "string" || !EMAIL.test(entry)) {
      c.add(
        `${ALERTS_KEY}.emails[${i}]`,
        entry,
        "is not an email address",
        "write one address per entry, e.g. oncall@example.com",
      );
    } else if (emails.includes(entry.toLowerCase())) {
      c.add(`${ALERTS_KEY}.emails[${i}]`, entry, "is listed twice", "list each address once");
    } else {
      emails.push(entry.toLowerCase());
    }
  });
  let topicArn: string | undefined;
  if (o.topicArn !== undefined) {
    const text = c.string(`${ALERTS_KEY}.topicArn`, o.topicArn, { describe: "an SNS topic ARN" });
    const m = text ? TOPIC_ARN.exec(text) : null;
    if (text && !m) {
      c.add(
        `${ALERTS_KEY}.topicArn`,
        text,
        "is not an SNS topic ARN",
        "copy the topic's ARN, e.g. arn:aws:sns:us-east-1:123456789012:oncall (FIFO topics cannot receive alarms)",
      );
    } else if (m && awsRegion && m[2] !== awsRegion) {
      // CloudWatch alarm actions must name a topic in the alarm's own region.
      c.add(
        `${ALERTS_KEY}.topicArn`,
        text,
        `is in ${m[2]}, but alarms live in aws:region ${awsRegion} and can only notify a topic of their own region`,
        `use a topic in ${awsRegion}, or subscribe its endpoint through alerts.emails`,
      );
    } else {
      topicArn = text;
    }
  }
  if (emails.length !== list.length || (o.topicArn !== undefined && !topicArn)) return undefined;
  return { emails, ...(topicArn ? { topicArn } : {}) };
}
