import { Rule, RuleFinding, launchName } from '../rule';

/** IMDS005: the IPv6 endpoint in a subnet without IPv6. */
export const IMDS005: Rule = {
  id: 'IMDS005',
  level: 'error',
  title: 'IPv6 endpoint only in IPv6 subnets',
  catches: 'HttpProtocolIpv6 enabled for a launch into a subnet that has no IPv6 CIDR block (not dual-stack, not IPv6-only)',
  fix: 'launch into dual-stack or IPv6-only subnets (Ipv6CidrBlock on the subnet or an AWS::EC2::SubnetCidrBlock), or set HttpProtocolIpv6 to "disabled"',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"SubnetId": {"Ref": "Ipv4OnlySubnet"}, "MetadataOptions": {"HttpTokens": "required", "HttpProtocolIpv6": "enabled"}}}',
  check(ctx) {
    const out: RuleFinding[] = [];
    if (!ctx.effective.HttpProtocolIpv6.some((v) => v.value === 'enabled')) return out;
    const noIpv6 = ctx.launch.subnets.filter((s) => s.ipv6 === 'no');
    if (noIpv6.length === 0) return out;
    const names = noIpv6.map((s) => s.name).join(', ');
    out.push({
      at: { model: ctx.launch.model, logicalId: ctx.launch.logicalId, path: 'Properties' },
      message:
        `${launchName(ctx)} enables the IPv6 metadata endpoint (set by ${ctx.variant.optionsAt.logicalId}) but launches into subnet${noIpv6.length > 1 ? 's' : ''} ${names} without IPv6. ` +
        'Use dual-stack or IPv6-only subnets, or set HttpProtocolIpv6 to "disabled".',
    });
    return out;
  },
};
