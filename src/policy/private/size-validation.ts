import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { estimatePolicySize, formatCount } from './policy-size';

/** A size limit AWS puts on a policy document. */
export interface PolicySizeLimit {
  /** What the construct is, for messages: e.g. `RequireImdsv2ServiceControlPolicy`. */
  readonly constructName: string;
  /** The limit in characters. */
  readonly limit: number;
  /** How AWS names the limit, e.g. `the AWS Organizations limit for a service control policy`. */
  readonly limitName: string;
  /** Whether whitespace is left out of the count (IAM). */
  readonly excludeWhitespace: boolean;
  /** What the user can do when the document is too large. */
  readonly remedy: string;
}

/**
 * Register a synth-time check of a policy document's size on a construct.
 *
 * Over the limit: a validation error naming the construct, the size and the limit. When the
 * document holds values known only at deployment, the size cannot be verified: a warning
 * `cdk-imds:policy-size-unverified` says so (and the error still fires when the known part is
 * already over).
 */
export function addPolicySizeValidation(scope: IConstruct, document: () => unknown, limit: PolicySizeLimit): void {
  let warned = false;
  scope.node.addValidation({
    validate: () => {
      const { chars, unknown } = estimatePolicySize(scope, document(), limit.excludeWhitespace);
      const counted = limit.excludeWhitespace ? 'characters (whitespace excluded)' : 'characters';
      if (chars > limit.limit) {
        return [
          `${limit.constructName} '${scope.node.path}': the policy document is ${formatCount(chars)}${unknown.length > 0 ? ' or more' : ''} ${counted}, ` +
            `over ${limit.limitName} of ${formatCount(limit.limit)} characters. ${limit.remedy}`,
        ];
      }
      if (unknown.length > 0 && !warned) {
        warned = true;
        Annotations.of(scope).addWarningV2(
          'cdk-imds:policy-size-unverified',
          `${limit.constructName} '${scope.node.path}': cannot verify the policy size against ${limit.limitName} of ` +
            `${formatCount(limit.limit)} characters: it holds values known only at deployment (${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', ...' : ''}). ` +
            `Without them it is ${formatCount(chars)} ${counted}.`,
        );
      }
      return [];
    },
  });
}
