import { hypervisorOf } from '../instance-types';
import { OPTION_NAMES } from '../launches';
import { NO_FINDINGS, Rule, RuleFinding, hasValue, launchName } from '../rule';

/** IMDS010: something the checks need cannot be read from the templates. */
export const IMDS010: Rule = {
  id: 'IMDS010',
  level: 'warning',
  title: 'Cannot verify',
  catches:
    'a launch whose own metadata options cannot be read (an imported or parameter launch template, options given as parameters or tokens), or, for the IPv6 endpoint or tags in metadata, an instance type, subnet or tag key that cannot be known, or a hop limit above 1 while a policy of the app denies launches above a maximum known only at deployment (an error under strict)',
  fix: 'define the launch template, subnet or instance type in the app with literal values, or acknowledge the finding with the reason it is safe',
  example: '{"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-0123456789abcdef0", "Version": "3"}}}',
  check(ctx) {
    const out: RuleFinding[] = [];
    if (ctx.variant.unreadable) {
      out.push({
        at: ctx.variant.optionsAt,
        message: `cannot verify the metadata options of ${launchName(ctx)}: ${ctx.variant.unreadable}. Define the launch template in the app, or acknowledge IMDS010 with the reason it is safe.`,
      });
      return out;
    }
    for (let o = 0; o < OPTION_NAMES.length; o++) {
      const option = OPTION_NAMES[o];
      const values = ctx.effective[option];
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v.unknown === undefined) continue;
        out.push({
          at: v.at ?? ctx.variant.optionsAt,
          message: `cannot verify ${option} of ${launchName(ctx)}: it is ${v.unknown}${v.source === 'account default' ? ' (account default)' : ''}. Give it a literal value, or acknowledge IMDS010 with the reason it is safe.`,
        });
      }
    }
    // A policy of the app denies launches above a hop limit known only at deployment (IMDS003's maximum).
    if (ctx.app.unknownPolicyHopLimits.length > 0) {
      const known = ctx.app.policyHopLimit;
      for (const hop of ctx.effective.HttpPutResponseHopLimit) {
        // 1 passes every maximum; above a known maximum it is IMDS003's error already.
        if (hop.source !== 'launch' || typeof hop.value !== 'number' || hop.value <= 1 || hop.value > 64) continue;
        if (known && hop.value > known.limit) continue;
        for (const p of ctx.app.unknownPolicyHopLimits) {
          out.push({
            at: hop.at ?? ctx.variant.optionsAt,
            message:
              `cannot verify HttpPutResponseHopLimit ${hop.value} of ${launchName(ctx)} against policy ${p.logicalId} (${p.type}): its maximum is ${p.why}, known only at deployment, ` +
              'and a launch above it would be denied. Give the policy a literal maximum hop limit, or acknowledge IMDS010 with the reason it is safe.',
          });
        }
      }
    }
    if (hasValue(ctx.effective.HttpProtocolIpv6, 'enabled')) {
      if (ctx.variant.instanceTypes.length === 0) {
        out.push({ at: ctx.variant.optionsAt, message: `cannot verify that ${launchName(ctx)} runs on Nitro for the IPv6 metadata endpoint: no instance type is set. Set InstanceType.` });
      }
      const types = ctx.variant.instanceTypes;
      for (let i = 0; i < types.length; i++) {
        const t = types[i];
        if (t.value !== undefined && hypervisorOf(t.value) !== 'unknown') continue;
        out.push({
          at: t.at,
          message: `cannot verify that ${launchName(ctx)} runs on Nitro for the IPv6 metadata endpoint: the instance type ${t.value !== undefined ? `"${t.value}" is not one this checker knows` : `is ${t.why}`}. Use a literal, current instance type.`,
        });
      }
      const subnets = ctx.launch.subnets;
      let unknownCount = 0;
      let unknownWhy = '';
      for (let i = 0; i < subnets.length; i++) {
        if (subnets[i].ipv6 === 'unknown') unknownWhy += (unknownCount++ > 0 ? '; ' : '') + (subnets[i].why ?? '');
      }
      if (ctx.launch.subnetsUnknown || unknownCount > 0) {
        const why = ctx.launch.subnetsUnknown ?? unknownWhy;
        out.push({
          at: { model: ctx.launch.model, logicalId: ctx.launch.logicalId, path: 'Properties' },
          message: `cannot verify that the subnets of ${launchName(ctx)} have IPv6 for the IPv6 metadata endpoint: ${why}. Launch into subnets defined in the app.`,
        });
      }
    }
    if (hasValue(ctx.effective.InstanceMetadataTags, 'enabled')) {
      const tags = ctx.variant.tags;
      for (let i = 0; i < tags.length; i++) {
        const t = tags[i];
        if (t.key !== undefined) continue;
        out.push({ at: t.at, message: `cannot verify the tag keys of ${launchName(ctx)} for tags in instance metadata: a key is ${t.why}. Use literal tag keys.` });
      }
    }
    return out.length > 0 ? out : NO_FINDINGS;
  },
};
