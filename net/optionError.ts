/**
 * The one format of every configuration problem in this repository, `key = value: problem. Fix: …`,
 * and the errors of the pure renderers' options (HAProxy config, user data) built on it, so a caller's
 * mistake surfaces at preview with the option, the bad value and the fix, not on a booting instance.
 */

/** `key = value: problem. Fix: fix` (an unset value shows as `(not set)`). */
export function formatProblem(key: string, value: unknown, problem: string, fix: string): string {
  const shown = value === undefined ? "(not set)" : JSON.stringify(value);
  return `${key} = ${shown}: ${problem}. Fix: ${fix}`;
}

export interface OptionChecks {
  /** Throws `<subject>: option = value: problem. Fix: fix`. */
  fail(option: string, value: unknown, problem: string, fix: string): never;
  /** Fails unless `value` is a whole number in [min, max]. */
  integer(option: string, value: number, min: number, max: number): void;
}

export function optionChecks(subject: string): OptionChecks {
  const fail = (option: string, value: unknown, problem: string, fix: string): never => {
    throw new Error(`${subject}: ${formatProblem(option, value, problem, fix)}`);
  };
  return {
    fail,
    integer(option, value, min, max) {
      if (!Number.isInteger(value) || value < min || value > max) {
        fail(option, value, `is not a whole number from ${min} to ${max}`, `give a whole number from ${min} to ${max}`);
      }
    },
  };
}
