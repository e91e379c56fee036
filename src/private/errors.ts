/**
 * An error in what the user asked for: the message says what, where and what to change.
 *
 * Its `stack` is the message alone, so `cdk synth` prints the message and not a call stack into
 * this library, which would only hide the message.
 */
export class ImdsConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImdsConfigurationError';
    Object.defineProperty(this, 'stack', { value: `${this.name}: ${message}`, writable: true, configurable: true });
  }
}
