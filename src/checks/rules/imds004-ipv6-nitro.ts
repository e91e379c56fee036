import { hypervisorOf } from '../instance-types';
import { NO_FINDINGS, Rule, RuleFinding, hasValue, launchName, placeTogether } from '../rule';

/** IMDS004: the IPv6 endpoint on an instance type not built on Nitro. */
export const IMDS004: Rule = {
  id: 'IMDS004',
  level: 'error',
  title: 'IPv6 endpoint only on Nitro',
  catches: 'HttpProtocolIpv6 enabled on an instance type not built on the Nitro System (m4, c4, t2, ...): the IPv6 endpoint is not served there',
  fix: 'choose a Nitro instance type (t3, m5, c6i and newer) or set HttpProtocolIpv6 to "disabled"',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m4.large", "MetadataOptions": {"HttpTokens": "required", "HttpProtocolIpv6": "enabled"}}}',
  check(ctx) {
    if (!hasValue(ctx.effective.HttpProtocolIpv6, 'enabled')) return NO_FINDINGS;
    let out: RuleFinding[] | undefined;
    const types = ctx.variant.instanceTypes;
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if (t.value === undefined || hypervisorOf(t.value) !== 'xen') continue;
      const at = placeTogether(ctx, t.at);
      const other = t.at.logicalId === ctx.variant.optionsAt.logicalId ? '' : ` (the IPv6 endpoint is enabled by ${ctx.variant.optionsAt.logicalId})`;
      (out ??= []).push({
        at,
        message:
          `${launchName(ctx)} enables the IPv6 metadata endpoint on instance type ${t.value} from ${t.at.logicalId} ${t.at.path}, which is not built on the Nitro System${other}. ` +
          'Choose a Nitro instance type (e.g. t3, m5, c6i and newer) or set HttpProtocolIpv6 to "disabled".',
      });
    }
    return out ?? NO_FINDINGS;
  },
};
