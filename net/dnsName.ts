/**
 * DNS name rules, pure: letter-digit-hyphen labels (RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1, so a
 * label may start with a digit) and fully qualified host names (at most 253 characters, a top-level
 * label that is not all digits, RFC 3696 §2). One home for the config, the renderers and the policies.
 */

/** One lower-case label: 1-63 letters, digits and hyphens, starting and ending with a letter or digit. */
export const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** True for one lower-case DNS label (names are case-insensitive: lower-case first where that is meant). */
export function isDnsLabel(text: string): boolean {
  return DNS_LABEL.test(text);
}

/**
 * True for a host name such as `contoso.openai.azure.com`, in any case: two labels or more, no scheme,
 * port, path, wildcard or trailing dot.
 */
export function isDnsName(text: string): boolean {
  const labels = text.toLowerCase().split(".");
  return (
    text.length <= 253 && labels.length >= 2 && labels.every(isDnsLabel) && !/^\d+$/.test(labels[labels.length - 1])
  );
}
