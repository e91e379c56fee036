import { isValidHopLimit } from '../../private/hop-limit';
import { describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, RuleFinding, describePolicy, launchName, requestDenials } from '../rule';

/** IMDS003: a hop limit above the allowed maximum. */
export const IMDS003: Rule = {
  id: 'IMDS003',
  level: 'error',
  title: 'Hop limit within the allowed maximum',
  catches:
    'an HttpPutResponseHopLimit above maxHopLimit, or a hop limit the launch sets itself above the N of a policy in the app that denies ec2:RunInstances with NumericGreaterThan ec2:MetadataHttpPutResponseHopLimit N (the launch would be denied; a maximum known only at deployment is IMDS010)',
  fix: 'lower HttpPutResponseHopLimit to the maximum, or raise the maximum on purpose',
  example: '{"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 3}}}}',
  check(ctx) {
    const max = ctx.options.maxHopLimit;
    const out: RuleFinding[] = [];
    if (max !== undefined) {
      for (const hop of ctx.effective.HttpPutResponseHopLimit) {
        if (!isValidHopLimit(hop.value)) continue; // IMDS002's case
        if (hop.value <= max) continue;
        out.push({
          at: hop.source === 'launch' && hop.at ? hop.at : ctx.variant.optionsAt,
          message: `${launchName(ctx)} has HttpPutResponseHopLimit ${hop.value} (${describeSource(hop)}), above the allowed maximum ${max} (maxHopLimit). Set it to at most ${max}.`,
        });
      }
    }
    // A policy condition sees the value the launch request carries: only values the launch sets.
    const reported = new Set<unknown>();
    const denials = [...requestDenials(ctx, 'HttpPutResponseHopLimit')].sort((a, b) => (a.guard.maxHopLimit ?? Infinity) - (b.guard.maxHopLimit ?? Infinity));
    for (const d of denials) {
      const value = d.setting.value;
      if (d.outcome.kind !== 'denied' || !isValidHopLimit(value)) continue; // a value EC2 refuses is IMDS002's
      // One finding per value, from the lowest maximum; none when maxHopLimit already says as much.
      if (reported.has(value)) continue;
      reported.add(value);
      const limit = d.guard.maxHopLimit;
      if (max !== undefined && value > max && limit !== undefined && limit >= max) continue;
      out.push({
        at: d.setting.at ?? ctx.variant.optionsAt,
        message:
          `${launchName(ctx)} has HttpPutResponseHopLimit ${value}, but ${describePolicy(d.guard.policy)} denies ${d.guard.denies}: the launch would be denied. ` +
          (limit !== undefined ? `Set it to at most ${limit}.` : 'Change HttpPutResponseHopLimit to a value the policy allows.'),
      });
    }
    return out.length > 0 ? out : NO_FINDINGS;
  },
};
