import { describeSource } from '../effective-options';
import { Rule, RuleFinding, launchName, whereToSet } from '../rule';

/** IMDS001: a launch does not require IMDSv2 while its endpoint is on. */
export const IMDS001: Rule = {
  id: 'IMDS001',
  level: 'error',
  title: 'Require IMDSv2',
  catches: 'a launch whose effective HttpTokens is not "required" while the metadata endpoint is enabled (a disabled endpoint passes)',
  fix: 'set HttpTokens to "required" in the launch template, instance or launch configuration (or, with trustAccountDefaults, as the account default; or use an AMI marked ImdsSupport v2.0)',
  example: '{"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}}}',
  check(ctx) {
    const out: RuleFinding[] = [];
    if (!ctx.variant.supported.has('HttpTokens') && ctx.variant.layers.length === 0 && !ctx.variant.unreadable) {
      const bad = ctx.effective.HttpTokens.find((v) => v.value !== undefined && v.value !== 'required');
      if (bad && ctx.effective.HttpEndpoint.some((e) => e.value !== 'disabled')) {
        const how =
          ctx.launch.type === 'AWS::EC2::SpotFleet'
            ? 'Use LaunchTemplateConfigs with a launch template that sets HttpTokens to "required" instead of LaunchSpecifications'
            : `Name a launch template that sets HttpTokens to "required" at ${ctx.variant.optionsAt.path}`;
        out.push({
          at: ctx.variant.optionsAt,
          message:
            `${launchName(ctx)} does not require IMDSv2: HttpTokens is "${bad.value}" (${describeSource(bad)}), and only a launch template can set it for this launch. ` +
            `${how} (or, with trustAccountDefaults, require it as the account default).`,
        });
      }
      return out;
    }
    // With HttpTokensEnforced on in the account, such a launch is refused rather than insecure.
    const enforcedBy = ctx.options.trustAccountDefaults && ctx.launch.accountLayers
      ? ctx.app.accountDefaultsFor(ctx.launch.model).find((d) => d.values.get('HttpTokensEnforced') === 'enabled')
      : undefined;
    const enforced = enforcedBy ? ` The launch would fail: ${enforcedBy.logicalId} sets HttpTokensEnforced to "enabled".` : '';
    for (const tokens of ctx.effective.HttpTokens) {
      if (tokens.value === undefined || tokens.value === 'required') continue;
      if (!ctx.effective.HttpEndpoint.some((e) => e.value !== 'disabled')) continue;
      const onOwn = tokens.source === 'launch';
      out.push({
        at: onOwn && tokens.at ? tokens.at : ctx.variant.optionsAt,
        message:
          `${launchName(ctx)} does not require IMDSv2: HttpTokens is "${tokens.value}" (${describeSource(tokens)}).${enforced} ` +
          `Set HttpTokens to "required" at ${onOwn && tokens.at ? `${tokens.at.logicalId} ${tokens.at.path}` : whereToSet(ctx)}.`,
      });
    }
    return out;
  },
};
