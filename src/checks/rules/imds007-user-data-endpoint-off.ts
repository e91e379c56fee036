import { describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, endpointOff, launchName } from '../rule';

/** IMDS007: the endpoint off while the launch has user data. */
export const IMDS007: Rule = {
  id: 'IMDS007',
  level: 'error',
  title: 'User data needs the endpoint',
  catches: 'HttpEndpoint disabled while the launch has user data: user data is read from instance metadata and does not run (empty or shebang-only user data counts as none)',
  fix: 'set HttpEndpoint to "enabled", or remove the user data',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"UserData": {"Fn::Base64": "#!/bin/bash\\nyum -y update"}, "MetadataOptions": {"HttpEndpoint": "disabled"}}}',
  check(ctx) {
    const off = endpointOff(ctx);
    if (!off) return NO_FINDINGS;
    const userData = ctx.variant.userData;
    if (!userData) return NO_FINDINGS;
    return [{
      at: off.source === 'launch' && off.at ? off.at : ctx.variant.optionsAt,
      message:
        `${launchName(ctx)} has HttpEndpoint "disabled" (${describeSource(off)}) but user data at ${userData.at.logicalId} ${userData.at.path}, which would not run. ` +
        'Set HttpEndpoint to "enabled", or remove the user data.',
    }];
  },
};
