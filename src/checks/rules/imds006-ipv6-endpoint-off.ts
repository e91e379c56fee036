import { NO_FINDINGS, Rule, endpointOff, launchName, withValue } from '../rule';

/** IMDS006: the IPv6 endpoint on while the endpoint is off. */
export const IMDS006: Rule = {
  id: 'IMDS006',
  level: 'error',
  title: 'IPv6 endpoint needs the endpoint',
  catches: 'HttpProtocolIpv6 enabled while HttpEndpoint is disabled',
  fix: 'set HttpEndpoint to "enabled", or HttpProtocolIpv6 to "disabled"',
  example: '{"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpEndpoint": "disabled", "HttpProtocolIpv6": "enabled"}}}}',
  check(ctx) {
    const ipv6 = withValue(ctx.effective.HttpProtocolIpv6, 'enabled');
    if (!ipv6 || !endpointOff(ctx)) return NO_FINDINGS;
    return [{
      at: ipv6.at ?? ctx.variant.optionsAt,
      message: `${launchName(ctx)} enables the IPv6 metadata endpoint while HttpEndpoint is "disabled": the IPv6 endpoint needs the endpoint on. Set HttpEndpoint to "enabled", or HttpProtocolIpv6 to "disabled".`,
    }];
  },
};
