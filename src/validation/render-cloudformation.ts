/**
 * The one place cdk-imds reads a non-public member of aws-cdk-lib: how an element renders to
 * CloudFormation before synthesis writes the template.
 *
 * aws-cdk-lib has no public API for the CloudFormation of one element; its template writer calls
 * the element's internal `_toCloudFormation()` and resolves the result in the element's stack.
 * This adapter does the same, reading only: it never replaces, wraps or redefines a method of an
 * aws-cdk-lib object, so the checks cannot change what is deployed.
 * `test/validation/render-cloudformation.test.ts` fails loudly when aws-cdk-lib changes under it
 * (the member is gone, or renders differently from the synthesized template).
 */
import { CfnElement } from 'aws-cdk-lib';

/** The internal aws-cdk-lib member this adapter reads. */
export const RENDER_MEMBER = '_toCloudFormation';

/** Thrown when this aws-cdk-lib renders elements in a way the adapter does not know. */
export class UnsupportedRenderingError extends Error {
  constructor(what: string) {
    super(`cdk-imds cannot render ${what}: this aws-cdk-lib has no ${RENDER_MEMBER}() on CloudFormation elements`);
    this.name = 'UnsupportedRenderingError';
  }
}

/**
 * The CloudFormation fragment of an element (`{ Resources: { Id: {...} } }`, `{ Outputs: ... }`),
 * resolved as synthesis resolves it, escape-hatch overrides included. Throws what rendering throws,
 * and `UnsupportedRenderingError` when the member does not exist.
 */
export function renderCloudFormation(element: CfnElement): unknown {
  const render = (element as unknown as Record<string, unknown>)[RENDER_MEMBER];
  if (typeof render !== 'function') throw new UnsupportedRenderingError(element.node.path);
  return element.stack.resolve((render as () => unknown).call(element));
}
