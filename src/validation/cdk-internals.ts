/**
 * The one place cdk-imds reads what aws-cdk-lib does not make public. Reading only: nothing here
 * replaces, wraps or redefines a method of an aws-cdk-lib object, so the checks cannot change what
 * is deployed. `test/validation/cdk-internals.test.ts` fails loudly when aws-cdk-lib changes under
 * any of these reads.
 *
 * 1. How an element renders to CloudFormation before synthesis writes the template: aws-cdk-lib has
 *    no public API for the CloudFormation of one element; its template writer calls the element's
 *    internal `_toCloudFormation()` and resolves the result in the element's stack. `renderCloudFormation`
 *    does the same.
 * 2. The warnings acknowledged with `Annotations.of(x).acknowledgeWarning(id)`: aws-cdk-lib keeps
 *    them on the App under a global symbol, not as construct metadata (`acknowledgedWarnings`).
 * 3. The jsii type name of an object's class (`jsii.rtti`, which jsii writes on every class it
 *    compiles), to know a construct's kind without loading the aws-cdk-lib module that defines it,
 *    or whether a token is an `Intrinsic` (`read-without-lazies.ts`) across copies of aws-cdk-lib
 *    (`hasJsiiType`).
 */
import { CfnElement } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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

/**
 * aws-cdk-lib's register of `Annotations.of(x).acknowledgeWarning(id)` calls, kept on the App
 * under a global symbol (shared by every copy of aws-cdk-lib); `has(construct, id)` is what
 * `addWarningV2` asks.
 */
const WARNING_ACKNOWLEDGEMENTS = Symbol.for('@aws-cdk/core.Acknowledgements');

/** What `acknowledgeWarning` recorded in an app, as far as cdk-imds reads it. */
export interface AcknowledgedWarnings {
  /** Whether a warning ID is acknowledged on the construct or an ancestor. */
  has(construct: IConstruct, id: string): boolean;
  /** The IDs acknowledged on exactly this construct path (without a leading slash). */
  idsAt(constructPath: string): string[];
}

/** The warnings acknowledged in the app of a construct; undefined when this aws-cdk-lib keeps them elsewhere. */
export function acknowledgedWarnings(construct: IConstruct): AcknowledgedWarnings | undefined {
  const registry = (construct.node.root as unknown as Record<symbol, unknown>)[WARNING_ACKNOWLEDGEMENTS] as
    | { has?: unknown; acks?: unknown }
    | undefined;
  if (typeof registry !== 'object' || registry === null || typeof registry.has !== 'function') return undefined;
  const has = registry.has as (node: IConstruct, id: string) => boolean;
  return {
    has: (c, id) => has.call(registry, c, id),
    idsAt: (constructPath) => {
      const acks = registry.acks;
      if (!(acks instanceof Map)) return [];
      const ids = acks.get(constructPath);
      return ids instanceof Map || ids instanceof Set ? [...ids.keys()].filter((k): k is string => typeof k === 'string') : [];
    },
  };
}

const JSII_RTTI = Symbol.for('jsii.rtti');

/** Whether an object's class, or a class it extends, has this jsii type name (`aws-cdk-lib.aws_ec2.Instance`). */
export function hasJsiiType(o: object, fqn: string): boolean {
  for (let ctor = o.constructor; typeof ctor === 'function' && ctor !== Object; ctor = Object.getPrototypeOf(ctor)) {
    if (!Object.prototype.hasOwnProperty.call(ctor, JSII_RTTI)) continue;
    if ((ctor as unknown as Record<symbol, { fqn?: string } | undefined>)[JSII_RTTI]?.fqn === fqn) return true;
  }
  return false;
}
