/**
 * Errors for the options of a pure renderer (HAProxy config, user data): each names the option, the
 * bad value and the fix, so a caller's mistake surfaces at preview, not on a booting instance.
 */
export interface OptionChecks {
  /** Throws `<subject>: option = value is invalid: fix.` */
  fail(option: string, value: unknown, fix: string): never;
  /** Fails unless `value` is a whole number in [min, max]. */
  integer(option: string, value: number, min: number, max: number): void;
}

export function optionChecks(subject: string): OptionChecks {
  const fail = (option: string, value: unknown, fix: string): never => {
    throw new Error(`${subject}: ${option} = ${JSON.stringify(value)} is invalid: ${fix}.`);
  };
  return {
    fail,
    integer(option, value, min, max) {
      if (!Number.isInteger(value) || value < min || value > max)
        fail(option, value, `give a whole number from ${min} to ${max}`);
    },
  };
}
