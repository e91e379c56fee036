import { HOP_LIMIT_MIN, isValidHopLimit } from '../../private/hop-limit';
import { RequestOption } from '../enforcement';
import { hypervisorOf } from '../instance-types';
import { Launch, OPTION_NAMES } from '../launches';
import { NO_FINDINGS, Rule, RuleFinding, describePolicy, hasValue, launchName, requestDenials } from '../rule';
import { rejectedLiteral } from '../tag-keys';

const REQUEST_OPTIONS: readonly RequestOption[] = ['HttpTokens', 'HttpPutResponseHopLimit'];

/** IMDS010: something the checks need cannot be read from the templates. */
export const IMDS010: Rule = {
  id: 'IMDS010',
  level: 'warning',
  title: 'Cannot verify',
  catches:
    'a launch whose own metadata options cannot be read (an imported or parameter launch template, options given as parameters or tokens), or, for the IPv6 endpoint or tags in metadata, an instance type, subnet or tag key that cannot be known, or a launch request whose verdict under a policy of the app synthesis cannot tell (a maximum hop limit known only at deployment, a statement with conditions on other keys, a launch kind for which AWS does not say whose permissions are checked) (an error under strict)',
  fix: 'define the launch template, subnet or instance type in the app with literal values, or acknowledge the finding with the reason it is safe',
  example: '{"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-0123456789abcdef0", "Version": "3"}}}',
  check(ctx) {
    const out: RuleFinding[] = [];
    if (ctx.variant.unreadable) {
      out.push({
        at: ctx.variant.optionsAt,
        message: `cannot verify the metadata options of ${launchName(ctx)}: ${ctx.variant.unreadable}. Define the launch template in the app, or acknowledge IMDS010 with the reason it is safe.`,
      });
      return out;
    }
    for (let o = 0; o < OPTION_NAMES.length; o++) {
      const option = OPTION_NAMES[o];
      const values = ctx.effective[option];
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v.unknown === undefined) continue;
        const s = option === 'HttpTokens' && v.source === 'launch' ? ctx.variant.tokensSwitch : undefined;
        if (s) {
          // The launch's own switch (SageMaker, AppStream): name it, not HttpTokens.
          const where = ctx.variant.optionsAt;
          out.push({
            at: { model: where.model, logicalId: where.logicalId, path: s.path },
            message:
              `cannot verify that ${launchName(ctx)} requires IMDSv2: ${s.property} at ${where.logicalId} ${s.path} cannot be read (${v.unknown}). ` +
              `Set ${s.property} to ${s.value}, or acknowledge IMDS010 with the reason it is safe.`,
          });
          continue;
        }
        out.push({
          at: v.at ?? ctx.variant.optionsAt,
          message: `cannot verify ${option} of ${launchName(ctx)}: it is ${v.unknown}${v.source === 'account default' ? ' (account default)' : ''}. Give it a literal value, or acknowledge IMDS010 with the reason it is safe.`,
        });
      }
    }
    // A policy of the app whose verdict on the launch's request synthesis cannot tell.
    for (const option of REQUEST_OPTIONS) {
      const denials = requestDenials(ctx, option);
      if (denials.length === 0) continue;
      // A value some policy denies outright is IMDS001's or IMDS003's error already.
      const denied = new Set(denials.filter((d) => d.outcome.kind === 'denied').map((d) => d.setting.value));
      for (const d of denials) {
        if (d.outcome.kind !== 'cannot verify' || denied.has(d.setting.value)) continue;
        const g = d.guard;
        const value = d.setting.state === 'set' ? `${option} ${typeof d.setting.value === 'number' ? d.setting.value : `"${d.setting.value}"`}` : `${option}, which the launch does not set itself,`;
        if (option === 'HttpPutResponseHopLimit' && g.tests.length === 1 && g.tests[0].operator === 'NumericGreaterThan' && !g.tests[0].values) {
          // Every maximum a policy can hold is at least the lowest hop limit; a launch that sets no hop
          // limit carries no key; a value EC2 refuses is IMDS002's.
          if (!isValidHopLimit(d.setting.value) || d.setting.value <= HOP_LIMIT_MIN) continue;
          out.push({
            at: d.setting.at ?? ctx.variant.optionsAt,
            message:
              `cannot verify HttpPutResponseHopLimit ${d.setting.value} of ${launchName(ctx)} against ${describePolicy(g.policy)}: its maximum is ${d.outcome.why}, known only at deployment, ` +
              'and a launch above it would be denied. Give the policy a literal maximum hop limit, or acknowledge IMDS010 with the reason it is safe.',
          });
          continue;
        }
        out.push({
          at: d.setting.at ?? ctx.variant.optionsAt,
          message:
            `cannot verify ${value} of ${launchName(ctx)} against ${describePolicy(g.policy)}${g.policy.sid ? ` statement ${g.policy.sid}` : ''}, which denies ${g.denies}: ${d.outcome.why}. ` +
            `Set ${option} in the launch to a value the policy allows, or acknowledge IMDS010 with the reason it is safe.`,
        });
      }
    }
    if (hasValue(ctx.effective.HttpProtocolIpv6, 'enabled')) {
      if (ctx.variant.instanceTypes.length === 0) {
        out.push({ at: ctx.variant.optionsAt, message: `cannot verify that ${launchName(ctx)} runs on Nitro for the IPv6 metadata endpoint: no instance type is set. Set InstanceType.` });
      }
      const types = ctx.variant.instanceTypes;
      for (let i = 0; i < types.length; i++) {
        const t = types[i];
        if (t.value !== undefined && hypervisorOf(t.value) !== 'unknown') continue;
        out.push({
          at: t.at,
          message: `cannot verify that ${launchName(ctx)} runs on Nitro for the IPv6 metadata endpoint: the instance type ${t.value !== undefined ? `"${t.value}" is not one this checker knows` : `is ${t.why}`}. Use a literal, current instance type.`,
        });
      }
      const why = unknownSubnets(ctx.launch);
      if (why) {
        out.push({
          at: { model: ctx.launch.model, logicalId: ctx.launch.logicalId, path: 'Properties' },
          message: `cannot verify that the subnets of ${launchName(ctx)} have IPv6 for the IPv6 metadata endpoint: ${why}. Launch into subnets defined in the app.`,
        });
      }
    }
    if (hasValue(ctx.effective.InstanceMetadataTags, 'enabled')) {
      const tags = ctx.variant.tags;
      for (let i = 0; i < tags.length; i++) {
        const t = tags[i];
        // A key whose literal part IMDS rejects is IMDS009's error.
        if (t.key !== undefined || rejectedLiteral(t.literals)) continue;
        const key = t.expression ? `key ${t.expression} is known only at deployment (${t.why})` : `a key is ${t.why}`;
        out.push({ at: t.at, message: `cannot verify the tag keys of ${launchName(ctx)} for tags in instance metadata: ${key}. Use literal tag keys.` });
      }
    }
    return out.length > 0 ? out : NO_FINDINGS;
  },
};

/**
 * The subnets of a launch that cannot be known, each named with why (`subnet subnet-0ab... is not
 * defined in the templates given (imported)`), or why none can be; undefined when all are known.
 */
function unknownSubnets(launch: Launch): string | undefined {
  if (launch.subnetsUnknown) return `its subnets cannot be known: ${launch.subnetsUnknown}`;
  const subnets = launch.subnets;
  const unknown: string[] = [];
  for (let i = 0; i < subnets.length; i++) {
    const s = subnets[i];
    if (s.ipv6 !== 'unknown') continue;
    const why = s.why ?? 'it cannot be read';
    // Most reasons name the subnet already ("subnet subnet-0ab... is not defined ...", "the subnet is parameter P").
    unknown.push(s.name && s.name !== 'subnet' && !why.includes(s.name) ? `${s.name}: ${why}` : why);
  }
  if (unknown.length === 0) return undefined;
  const of = subnets.length === 1 ? 'its subnet' : unknown.length === subnets.length ? `its ${subnets.length} subnets` : `${unknown.length} of its ${subnets.length} subnets`;
  return `${of} cannot be known: ${[...new Set(unknown)].join('; ')}`;
}
