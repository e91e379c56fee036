import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { literalPartitionArns, newStack } from './helpers';
import {
  DeclarativePolicyHopLimit,
  DeclarativePolicyHttpTokens,
  DeclarativePolicySetting,
  InstanceMetadataDefaultsDeclarativePolicy,
} from '../../src';

describe('InstanceMetadataDefaultsDeclarativePolicy', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = newStack();
  });

  test('defaults: IMDSv2 required, hop limit 2, endpoint and tags no preference, a default exception message', () => {
    const policy = new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', { targetIds: ['r-ab12'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'DECLARATIVE_POLICY_EC2',
      Name: Match.stringLikeRegexp('^StackDefaults[0-9A-F]{8}$'),
      Description: 'Sets the EC2 instance metadata defaults: IMDSv2 required, hop limit 2.',
      TargetIds: ['r-ab12'],
      // The shape of AWS's "Instance Metadata Defaults" example in the declarative policy syntax page.
      Content: Match.exact({
        ec2_attributes: {
          instance_metadata_defaults: {
            http_tokens: { '@@assign': 'required' },
            http_put_response_hop_limit: { '@@assign': '2' },
            http_endpoint: { '@@assign': 'no_preference' },
            instance_metadata_tags: { '@@assign': 'no_preference' },
          },
          exception_message: {
            '@@assign': 'Instance metadata defaults are managed by your organization (IMDSv2 required, hop limit 2). ' +
              'Ask your cloud platform team to change them.',
          },
        },
      }),
    });
    expect(policy.defaultHopLimit).toBe(2);
    expect(policy.httpTokens).toBe(DeclarativePolicyHttpTokens.REQUIRED);
    expect(literalPartitionArns(template.toJSON())).toEqual([]);
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  test('every option is written exactly, enforcement included when asked', () => {
    const policy = new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', {
      targetIds: ['ou-ab12-abcdefgh'],
      policyName: 'imds-defaults',
      description: 'IMDS defaults',
      httpTokens: DeclarativePolicyHttpTokens.REQUIRED,
      httpPutResponseHopLimit: DeclarativePolicyHopLimit.NO_PREFERENCE,
      httpEndpoint: DeclarativePolicySetting.ENABLED,
      instanceMetadataTags: DeclarativePolicySetting.DISABLED,
      httpTokensEnforced: DeclarativePolicySetting.ENABLED,
      exceptionMessage: 'IMDSv2 is required: https://wiki.example.com/imdsv2',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'imds-defaults',
      Description: 'IMDS defaults',
      Content: Match.exact({
        ec2_attributes: {
          instance_metadata_defaults: {
            http_tokens: { '@@assign': 'required' },
            http_put_response_hop_limit: { '@@assign': '-1' },
            http_endpoint: { '@@assign': 'enabled' },
            instance_metadata_tags: { '@@assign': 'disabled' },
            http_tokens_enforced: { '@@assign': 'enabled' },
          },
          exception_message: { '@@assign': 'IMDSv2 is required: https://wiki.example.com/imdsv2' },
        },
      }),
    });
    expect(policy.defaultHopLimit).toBeUndefined();
  });

  test('optional tokens and hop limit 1 are written as given', () => {
    new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', {
      targetIds: ['123456789012'],
      httpTokens: DeclarativePolicyHttpTokens.OPTIONAL,
      httpPutResponseHopLimit: DeclarativePolicyHopLimit.of(1),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Description: 'Sets the EC2 instance metadata defaults: IMDSv1 and IMDSv2 allowed, hop limit 1.',
      Content: {
        ec2_attributes: {
          instance_metadata_defaults: Match.objectEquals({
            http_tokens: { '@@assign': 'optional' },
            http_put_response_hop_limit: { '@@assign': '1' },
            http_endpoint: { '@@assign': 'no_preference' },
            instance_metadata_tags: { '@@assign': 'no_preference' },
          }),
        },
      },
    });
  });

  test('enforcement with tokens not required is an error annotation naming both props', () => {
    new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', {
      targetIds: ['r-ab12'],
      httpTokens: DeclarativePolicyHttpTokens.NO_PREFERENCE,
      httpTokensEnforced: DeclarativePolicySetting.ENABLED,
    });
    Annotations.fromStack(stack).hasError('/Stack/Defaults', Match.stringLikeRegexp(
      'httpTokensEnforced is ENABLED while httpTokens is no_preference: every launch that does not set HttpTokens to required would fail'));
  });

  describe('bad input', () => {
    test('empty target IDs', () => {
      expect(() => new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', { targetIds: [] })).toThrow(
        /InstanceMetadataDefaultsDeclarativePolicy 'Stack\/Defaults': targetIds is empty/);
    });

    test('malformed target ID', () => {
      expect(() => new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', { targetIds: ['o-abcdefghij'] })).toThrow(
        /targetIds\[0\] is "o-abcdefghij": it must be a root ID \(r-xxxx\), an organizational unit ID \(ou-xxxx-xxxxxxxx\) or a 12-digit account ID/);
    });

    test.each([0, 65, 2.5, -1])('hop limit %p', (hops) => {
      expect(() => DeclarativePolicyHopLimit.of(hops)).toThrow(
        `DeclarativePolicyHopLimit.of(${hops}): the hop limit must be a whole number from 1 to 64; use DeclarativePolicyHopLimit.NO_PREFERENCE for no default.`);
    });

    test('an empty exception message', () => {
      expect(() => new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', { targetIds: ['r-ab12'], exceptionMessage: '  ' })).toThrow(
        /exceptionMessage is empty/);
    });

    test('a value outside the enum (from a language without enums checked at compile time)', () => {
      expect(() => new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', {
        targetIds: ['r-ab12'],
        httpEndpoint: 'no-preference' as DeclarativePolicySetting,
      })).toThrow(/httpEndpoint is "no-preference": it must be one of DeclarativePolicySetting \(enabled, disabled, no_preference\)/);
    });
  });

  test('over the AWS Organizations quota of 10,000 characters, synthesis fails naming the construct, the size and the limit', () => {
    new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', { targetIds: ['r-ab12'], exceptionMessage: 'x'.repeat(9900) });
    expect(() => Template.fromStack(stack)).toThrow(
      /InstanceMetadataDefaultsDeclarativePolicy 'Stack\/Defaults': the policy document is 10,[0-9]{3} characters, over the AWS Organizations quota for a declarative policy of 10,000 characters\. Shorten exceptionMessage/);
  });

  test('a long message under the quota passes', () => {
    new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', { targetIds: ['r-ab12'], exceptionMessage: 'x'.repeat(9000) });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('a hop limit from a parameter is written as a reference everywhere', () => {
    const hops = new CfnParameter(stack, 'Hops', { type: 'Number', default: 2 });
    new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Defaults', {
      targetIds: ['r-ab12'],
      httpPutResponseHopLimit: DeclarativePolicyHopLimit.of(hops.valueAsNumber),
      exceptionMessage: 'See the wiki',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Description: { 'Fn::Join': ['', ['Sets the EC2 instance metadata defaults: IMDSv2 required, hop limit ', { Ref: 'Hops' }, '.']] },
      Content: { ec2_attributes: { instance_metadata_defaults: Match.objectLike({ http_put_response_hop_limit: { '@@assign': { Ref: 'Hops' } } }) } },
    });
  });
});
