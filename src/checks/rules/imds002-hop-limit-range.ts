import { HOP_LIMIT_MAX, HOP_LIMIT_MIN, HOP_LIMIT_RANGE, isValidHopLimit } from '../../private/hop-limit';
import { describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, RuleFinding, launchName } from '../rule';

/** IMDS002: a hop limit EC2 refuses (outside 1-64, or not a whole number). */
export const IMDS002: Rule = {
  id: 'IMDS002',
  level: 'error',
  title: `Hop limit from ${HOP_LIMIT_MIN} to ${HOP_LIMIT_MAX}`,
  catches: `an HttpPutResponseHopLimit that is not ${HOP_LIMIT_RANGE} (EC2 rejects the launch)`,
  fix: 'set HttpPutResponseHopLimit to 1 (instances) or 2 (container hosts whose containers use IMDSv2)',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 0}}}',
  check(ctx) {
    let out: RuleFinding[] | undefined;
    const hops = ctx.effective.HttpPutResponseHopLimit;
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i];
      if (typeof hop.value !== 'number' || hop.source === 'AWS default' || hop.source === 'AMI') continue;
      if (isValidHopLimit(hop.value)) continue;
      (out ??= []).push({
        at: hop.at ?? ctx.variant.optionsAt,
        message:
          `${launchName(ctx)} has HttpPutResponseHopLimit ${hop.value} (${describeSource(hop)}): EC2 accepts only ${HOP_LIMIT_RANGE}. ` +
          'Set it to 1, or 2 for a container host whose containers use IMDSv2.',
      });
    }
    return out ?? NO_FINDINGS;
  },
};
