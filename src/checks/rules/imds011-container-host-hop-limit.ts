import { NO_FINDINGS, Rule, hasValue, launchName, withValue } from '../rule';

/** IMDS011: a container host whose containers cannot reach IMDS. */
export const IMDS011: Rule = {
  id: 'IMDS011',
  level: 'warning',
  title: 'Container hosts and hop limit 1',
  catches: 'a container host (ECS capacity, EKS node group, Batch) that requires IMDSv2 with hop limit 1: its containers cannot reach instance metadata (some teams want exactly that)',
  fix: 'set HttpPutResponseHopLimit to 2 if containers need instance metadata or credentials; if blocking them is intended, acknowledge IMDS011 with that reason',
  example: '{"Type": "AWS::EKS::Nodegroup", "Properties": {"LaunchTemplate": {"Id": {"Ref": "NodeTemplate"}}}} with NodeTemplate setting HttpTokens "required" and HttpPutResponseHopLimit 1',
  check(ctx) {
    const required = hasValue(ctx.effective.HttpTokens, 'required');
    const hop1 = withValue(ctx.effective.HttpPutResponseHopLimit, 1);
    if (!required || !hop1 || !hasValue(ctx.effective.HttpEndpoint, 'enabled')) return NO_FINDINGS;
    if (!ctx.launch.containerHost) return NO_FINDINGS;
    return [{
      at: hop1.source === 'launch' && hop1.at ? hop1.at : ctx.variant.optionsAt,
      message:
        `${launchName(ctx)} is a container host (${ctx.launch.containerHost}) that requires IMDSv2 with hop limit 1: containers cannot reach instance metadata or the instance role. ` +
        'Set HttpPutResponseHopLimit to 2 if they need it; if blocking them is intended, acknowledge IMDS011 with that reason.',
    }];
  },
};
