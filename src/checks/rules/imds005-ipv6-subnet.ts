import { NO_FINDINGS, Rule, hasValue, launchName } from '../rule';

/** IMDS005: the IPv6 endpoint in a subnet without IPv6. */
export const IMDS005: Rule = {
  id: 'IMDS005',
  level: 'error',
  title: 'IPv6 endpoint only in IPv6 subnets',
  catches: 'HttpProtocolIpv6 enabled for a launch into a subnet that has no IPv6 CIDR block (not dual-stack, not IPv6-only)',
  fix: 'launch into dual-stack or IPv6-only subnets (Ipv6CidrBlock on the subnet or an AWS::EC2::SubnetCidrBlock), or set HttpProtocolIpv6 to "disabled"',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"SubnetId": {"Ref": "Ipv4OnlySubnet"}, "MetadataOptions": {"HttpTokens": "required", "HttpProtocolIpv6": "enabled"}}}',
  check(ctx) {
    if (!hasValue(ctx.effective.HttpProtocolIpv6, 'enabled')) return NO_FINDINGS;
    const subnets = ctx.launch.subnets;
    let count = 0;
    let names = '';
    for (let i = 0; i < subnets.length; i++) {
      if (subnets[i].ipv6 !== 'no') continue;
      names += (count++ > 0 ? ', ' : '') + subnets[i].name;
    }
    if (count === 0) return NO_FINDINGS;
    return [{
      at: { model: ctx.launch.model, logicalId: ctx.launch.logicalId, path: 'Properties' },
      message:
        `${launchName(ctx)} enables the IPv6 metadata endpoint (set by ${ctx.variant.optionsAt.logicalId}) but launches into subnet${count > 1 ? 's' : ''} ${names} without IPv6. ` +
        'Use dual-stack or IPv6-only subnets, or set HttpProtocolIpv6 to "disabled".',
    }];
  },
};
