import { describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, RuleFinding, launchName } from '../rule';

/** IMDS003: a hop limit above the allowed maximum. */
export const IMDS003: Rule = {
  id: 'IMDS003',
  level: 'error',
  title: 'Hop limit within the allowed maximum',
  catches:
    'an HttpPutResponseHopLimit above maxHopLimit, or above the lowest N of a policy in the app that denies ec2:RunInstances with NumericGreaterThan ec2:MetadataHttpPutResponseHopLimit N (the launch would be denied; a maximum known only at deployment is IMDS010)',
  fix: 'lower HttpPutResponseHopLimit to the maximum, or raise the maximum on purpose',
  example: '{"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 3}}}}',
  check(ctx) {
    const max = ctx.options.maxHopLimit;
    const policy = ctx.app.policyHopLimit;
    if (max === undefined && !policy) return NO_FINDINGS;
    const out: RuleFinding[] = [];
    const hops = ctx.effective.HttpPutResponseHopLimit;
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i];
      if (typeof hop.value !== 'number' || hop.value < 1 || hop.value > 64) continue; // IMDS002's case
      if (max !== undefined && hop.value > max) {
        out.push({
          at: hop.source === 'launch' && hop.at ? hop.at : ctx.variant.optionsAt,
          message: `${launchName(ctx)} has HttpPutResponseHopLimit ${hop.value} (${describeSource(hop)}), above the allowed maximum ${max} (maxHopLimit). Set it to at most ${max}.`,
        });
      }
      // A policy condition sees the value the launch request carries, so only launch-set values.
      if (policy && hop.source === 'launch' && hop.value > policy.limit && (max === undefined || policy.limit < max || hop.value <= max)) {
        out.push({
          at: hop.at ?? ctx.variant.optionsAt,
          message:
            `${launchName(ctx)} has HttpPutResponseHopLimit ${hop.value}, but policy ${policy.logicalId} (${policy.type}) denies ec2:RunInstances above ${policy.limit}: the launch would be denied. ` +
            `Set it to at most ${policy.limit}.`,
        });
      }
    }
    return out;
  },
};
