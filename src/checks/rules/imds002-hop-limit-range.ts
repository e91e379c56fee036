import { describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, RuleFinding, launchName } from '../rule';

/** IMDS002: a hop limit outside 1-64. */
export const IMDS002: Rule = {
  id: 'IMDS002',
  level: 'error',
  title: 'Hop limit from 1 to 64',
  catches: 'an HttpPutResponseHopLimit that is not a whole number from 1 to 64 (EC2 rejects the launch)',
  fix: 'set HttpPutResponseHopLimit to 1 (instances) or 2 (container hosts whose containers use IMDSv2)',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 0}}}',
  check(ctx) {
    let out: RuleFinding[] | undefined;
    const hops = ctx.effective.HttpPutResponseHopLimit;
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i];
      if (typeof hop.value !== 'number' || hop.source === 'AWS default' || hop.source === 'AMI') continue;
      if (Number.isInteger(hop.value) && hop.value >= 1 && hop.value <= 64) continue;
      (out ??= []).push({
        at: hop.at ?? ctx.variant.optionsAt,
        message:
          `${launchName(ctx)} has HttpPutResponseHopLimit ${hop.value} (${describeSource(hop)}): EC2 accepts only a whole number from 1 to 64. ` +
          'Set it to 1, or 2 for a container host whose containers use IMDSv2.',
      });
    }
    return out ?? NO_FINDINGS;
  },
};
