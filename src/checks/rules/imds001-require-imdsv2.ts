import { EffectiveValue, describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, RuleFinding, endpointMaybeOn, launchName, whereToSet } from '../rule';

/** IMDS001: a launch does not require IMDSv2 while its endpoint is on. */
export const IMDS001: Rule = {
  id: 'IMDS001',
  level: 'error',
  title: 'Require IMDSv2',
  catches: 'a launch whose effective HttpTokens is not "required" while the metadata endpoint is enabled (a disabled endpoint passes)',
  fix: 'set HttpTokens to "required" in the launch template, instance or launch configuration (or, with trustAccountDefaults, as the account default; or use an AMI marked ImdsSupport v2.0)',
  example: '{"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}}}',
  check(ctx) {
    const tokens = ctx.effective.HttpTokens;
    let bad: EffectiveValue | undefined;
    for (let i = 0; i < tokens.length && !bad; i++) if (tokens[i].value !== undefined && tokens[i].value !== 'required') bad = tokens[i];
    // Nothing to report unless some alternative is known not to require IMDSv2 while the endpoint may be on.
    if (!bad || !endpointMaybeOn(ctx)) return NO_FINDINGS;
    if (!ctx.variant.supported.has('HttpTokens') && ctx.variant.layers.length === 0 && !ctx.variant.unreadable) {
      const how =
        ctx.launch.type === 'AWS::EC2::SpotFleet'
          ? 'Use LaunchTemplateConfigs with a launch template that sets HttpTokens to "required" instead of LaunchSpecifications'
          : `Name a launch template that sets HttpTokens to "required" at ${ctx.variant.optionsAt.path}`;
      return [
        {
          at: ctx.variant.optionsAt,
          message:
            `${launchName(ctx)} does not require IMDSv2: HttpTokens is "${bad.value}" (${describeSource(bad)}), and only a launch template can set it for this launch. ` +
            `${how} (or, with trustAccountDefaults, require it as the account default).`,
        },
      ];
    }
    const out: RuleFinding[] = [];
    // With HttpTokensEnforced on in the account, such a launch is refused rather than insecure.
    const enforcedBy = ctx.options.trustAccountDefaults && ctx.launch.accountLayers
      ? ctx.app.accountDefaultsFor(ctx.launch.model).find((d) => d.values.get('HttpTokensEnforced') === 'enabled')
      : undefined;
    const enforced = enforcedBy ? ` The launch would fail: ${enforcedBy.logicalId} sets HttpTokensEnforced to "enabled".` : '';
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.value === undefined || t.value === 'required') continue;
      const onOwn = t.source === 'launch';
      out.push({
        at: onOwn && t.at ? t.at : ctx.variant.optionsAt,
        message:
          `${launchName(ctx)} does not require IMDSv2: HttpTokens is "${t.value}" (${describeSource(t)}).${enforced} ` +
          `Set HttpTokens to "required" at ${onOwn && t.at ? `${t.at.logicalId} ${t.at.path}` : whereToSet(ctx)}.`,
      });
    }
    return out;
  },
};
