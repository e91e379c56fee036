import { EffectiveValue, describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, RuleContext, RuleFinding, describePolicy, endpointMaybeOn, launchName, requestDenials, whereToSet } from '../rule';
import { Location, describe } from '../template-model';

/**
 * IMDS001: a launch does not require IMDSv2 while its endpoint is on, or would be refused because
 * of how it sets HttpTokens: a policy of the app that denies `ec2:RunInstances` unless the request
 * sets HttpTokens to `required` judges the launch's own value (enforcement.ts), and
 * `HttpTokensEnforced` judges the effective one.
 */
export const IMDS001: Rule = {
  id: 'IMDS001',
  level: 'error',
  title: 'Require IMDSv2',
  catches:
    'a launch whose effective HttpTokens is not "required" while the metadata endpoint is enabled (a disabled endpoint passes, unless an account default of the app turns HttpTokensEnforced on: the launch would fail), ' +
    'or that does not itself set HttpTokens to "required" while a policy of the app denies ec2:RunInstances unless the request does (the launch would be denied, whatever the account default or the AMI says)',
  fix:
    'set HttpTokens to "required" in the launch template, instance or launch configuration, MinimumInstanceMetadataServiceVersion to "2" on a SageMaker notebook ' +
    'or in an EMR security configuration, DisableIMDSV1 to true on AppStream, or the option aws:autoscaling:launchconfiguration DisableIMDSv1 to "true" on Elastic Beanstalk ' +
    '(without a RunInstances policy in the app, also: as the account default with trustAccountDefaults, or an AMI marked ImdsSupport v2.0)',
  example: '{"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}}}',
  check(ctx) {
    const out = effectiveFindings(ctx);
    const denials = requestDenials(ctx, 'HttpTokens');
    if (denials.length === 0) return out.length > 0 ? out : NO_FINDINGS;
    for (const d of denials) {
      if (d.outcome.kind !== 'denied') continue; // "cannot verify" is IMDS010's
      const g = d.guard;
      const statement = g.policy.sid ? ` (statement ${g.policy.sid})` : '';
      const policy = `${describePolicy(g.policy)} denies ${g.denies}${statement}: the launch would be denied.`;
      if (d.setting.state === 'set') {
        const at = d.setting.at ?? ctx.variant.optionsAt;
        // The same value already reported as not requiring IMDSv2: one finding says both.
        const i = out.findIndex((f) => sameLocation(f.at, at));
        if (i >= 0) {
          out[i] = { ...out[i], message: `${out[i].message} Also, ${policy}` };
          continue;
        }
        const fix = ctx.variant.tokensSwitch ? requireImdsv2(ctx) : { at, advice: 'Set HttpTokens to "required" there' };
        out.push({
          at: fix.at,
          message: `${launchName(ctx)} sets ${tokensTo(ctx, d.setting.value)} at ${at.logicalId} ${at.path}, and ${policy} ${fix.advice}.`,
        });
        continue;
      }
      const below = ctx.effective.HttpTokens.filter((v) => v.source !== 'launch' && v.value !== undefined);
      const reliesOn = below.length > 0 ? ` (it would be "${below[0].value}", ${describeSource(below[0])})` : '';
      const fix = requireImdsv2(ctx);
      out.push({
        at: fix.at,
        message:
          `${launchName(ctx)} does not set ${ctx.variant.tokensSwitch?.property ?? 'HttpTokens'} itself${reliesOn}, and ${policy} ` +
          `Policy conditions see the RunInstances request, not the account default or the AMI. ${fix.advice}.`,
      });
    }
    return out.length > 0 ? out : NO_FINDINGS;
  },
};

/** The findings on the effective value of HttpTokens, after precedence. */
function effectiveFindings(ctx: RuleContext): RuleFinding[] {
  const tokens = ctx.effective.HttpTokens;
  let bad: EffectiveValue | undefined;
  for (let i = 0; i < tokens.length && !bad; i++) if (tokens[i].value !== undefined && tokens[i].value !== 'required') bad = tokens[i];
  if (!bad) return [];
  // HttpTokensEnforced refuses any launch whose effective tokens are not "required". Without
  // trustAccountDefaults the effective value below the launch is a guess, so only a value the
  // launch sets itself is known to fail.
  const enforcing = ctx.launch.accountLayers ? ctx.app.tokensEnforcedBy(ctx.launch.model) : undefined;
  const enforcedBy = enforcing && (ctx.options.trustAccountDefaults || bad.source === 'launch') ? enforcing : undefined;
  // Otherwise nothing to report unless the endpoint may be on.
  if (!enforcedBy && !endpointMaybeOn(ctx)) return [];
  const enforced = enforcedBy ? ` The launch would fail: ${enforcedBy.logicalId} sets HttpTokensEnforced to "enabled".` : '';
  if (!ctx.variant.supported.has('HttpTokens') && ctx.variant.layers.length === 0 && !ctx.variant.unreadable) {
    const how =
      ctx.launch.type === 'AWS::EC2::SpotFleet'
        ? 'Use LaunchTemplateConfigs with a launch template that sets HttpTokens to "required" instead of LaunchSpecifications'
        : `Name a launch template that sets HttpTokens to "required" at ${ctx.variant.optionsAt.path}`;
    return [
      {
        at: ctx.variant.optionsAt,
        message:
          `${launchName(ctx)} does not require IMDSv2: HttpTokens is "${bad.value}" (${describeSource(bad)}), and only a launch template can set it for this launch.${enforced} ` +
          `${how} (or, with trustAccountDefaults, require it as the account default).`,
      },
    ];
  }
  const out: RuleFinding[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.value === undefined || t.value === 'required') continue;
    const fix = requireImdsv2(ctx, t.source === 'launch' ? t.at : undefined);
    // A service default already says what the service allows.
    const value = t.source === 'service default' && ctx.variant.tokensSwitch ? '' : `: ${tokensAre(ctx, t.value)}`;
    out.push({
      at: fix.at,
      message: `${launchName(ctx)} does not require IMDSv2${value} (${describeSource(t)}).${enforced} ${fix.advice}.`,
    });
  }
  return out;
}

/**
 * Where and how to require IMDSv2: HttpTokens "required" at the value's place (else where the
 * variant sets its options), or the launch's own switch (SageMaker, AppStream) at its property.
 */
function requireImdsv2(ctx: RuleContext, at?: Location): { readonly at: Location; readonly advice: string } {
  const o = ctx.variant.optionsAt;
  const s = ctx.variant.tokensSwitch;
  if (s) return { at: { model: o.model, logicalId: o.logicalId, path: s.path }, advice: `Set ${s.property} to ${s.value} at ${o.logicalId} ${s.path}` };
  return { at: at ?? o, advice: `Set HttpTokens to "required" at ${at ? `${at.logicalId} ${at.path}` : whereToSet(ctx)}` };
}

/** `HttpTokens is "optional"`, in the launch's own terms: `DisableIMDSV1 allows IMDSv1`. */
function tokensAre(ctx: RuleContext, value: unknown): string {
  const s = ctx.variant.tokensSwitch;
  if (!s) return `HttpTokens is "${value}"`;
  return value === 'optional' ? `${s.property} allows IMDSv1` : `${s.property} is ${describe(value)}`;
}

/** `HttpTokens to "optional"`, in the launch's own terms: `DisableIMDSV1 to a value that allows IMDSv1`. */
function tokensTo(ctx: RuleContext, value: unknown): string {
  const s = ctx.variant.tokensSwitch;
  if (!s) return `HttpTokens to "${value}"`;
  return value === 'optional' ? `${s.property} to a value that allows IMDSv1` : `${s.property} to ${describe(value)}`;
}

function sameLocation(a: Location, b: Location): boolean {
  return a.model === b.model && a.logicalId === b.logicalId && a.path === b.path;
}
