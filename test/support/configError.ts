/** Asserts that building a config fails validation with one message line holding every fragment. */
import * as assert from "assert";
import { ConfigError } from "../../config/issues";

export function assertConfigError(build: () => unknown, ...fragments: string[]): void {
  assert.throws(build, (e: Error) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.ok(
      e.message.split("\n").some((line) => fragments.every((f) => line.includes(f))),
      e.message,
    );
    return true;
  });
}
