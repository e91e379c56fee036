import { ImdsChecks } from '../../validation/imds-checks';

/**
 * The `ImdsChecks` an `Imdsv2Baseline` adds to its Stage: it trusts the account defaults of the app
 * and remembers which baseline added it, so that a second baseline in the Stage reuses it.
 */
export class BaselineImdsChecks extends ImdsChecks {
  constructor(public readonly addedBy: string, public readonly strict: boolean) {
    super({ strict, trustAccountDefaults: true });
  }
}
