import { describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, endpointOff, launchName } from '../rule';

/** IMDS008: the endpoint off while the launch names a key pair. */
export const IMDS008: Rule = {
  id: 'IMDS008',
  level: 'warning',
  title: 'Key pair needs the endpoint',
  catches: 'HttpEndpoint disabled while the launch names a key pair: the public key is served by instance metadata, so key-pair login may fail',
  fix: 'set HttpEndpoint to "enabled", or log in another way (Session Manager, EC2 Instance Connect) and drop the key pair',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"KeyName": "ops", "MetadataOptions": {"HttpEndpoint": "disabled"}}}',
  check(ctx) {
    const off = endpointOff(ctx);
    if (!off) return NO_FINDINGS;
    const key = ctx.variant.keyName;
    if (!key) return NO_FINDINGS;
    return [{
      at: off.source === 'launch' && off.at ? off.at : ctx.variant.optionsAt,
      message:
        `${launchName(ctx)} has HttpEndpoint "disabled" (${describeSource(off)}) and names a key pair at ${key.logicalId} ${key.path}; the public key is served by instance metadata, so key-pair login may fail. ` +
        'Enable the endpoint, or use Session Manager and drop the key pair.',
    }];
  },
};
