import { NO_FINDINGS, Rule, RuleFinding, describePolicy, launchName } from '../rule';

/** IMDS012: Auto Scaling launches that IAM conditions cannot guard. */
export const IMDS012: Rule = {
  id: 'IMDS012',
  level: 'warning',
  title: 'Auto Scaling launches IAM cannot guard',
  catches:
    'an Auto Scaling group that uses a launch configuration, or a launch template version "$Latest" or "$Default": the RunInstances conditions are checked only when the group is created or updated, so a later template version escapes them ' +
    '(an error when a policy of the app denies creating groups with a launch configuration: the deploy would fail)',
  fix: 'use a launch template with a specific version (Fn::GetAtt LatestVersionNumber or a number)',
  example: '{"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"LaunchTemplate": {"LaunchTemplateId": {"Ref": "Template"}, "Version": "$Latest"}}}',
  check(ctx) {
    if (ctx.launch.type !== 'AWS::AutoScaling::AutoScalingGroup') return NO_FINDINGS;
    const out: RuleFinding[] = [];
    if (ctx.launch.launchConfiguration && ctx.variant === ctx.launch.variants[0]) {
      const at = { model: ctx.launch.model, logicalId: ctx.launch.logicalId, path: 'Properties/LaunchConfigurationName' };
      // CloudFormation creates the group with the deploying principal's credentials.
      const guard = ctx.options.assumePoliciesApply ? ctx.app.policies.launchConfigurationGuards[0] : undefined;
      if (guard) {
        out.push({
          at,
          level: 'error',
          message:
            `${launchName(ctx)} uses a launch configuration, but ${describePolicy(guard, true)} denies creating or updating an Auto Scaling group with one: the deploy would fail. ` +
            'Use a launch template with a specific version.',
        });
      } else {
        out.push({
          at,
          message:
            `${launchName(ctx)} uses a launch configuration: IAM conditions on ec2:RunInstances are checked only when the group is created or updated, and launch configurations are deprecated. ` +
            'Use a launch template with a specific version.',
        });
      }
    }
    const v = ctx.variant.floatingVersion;
    if (v) {
      const guard = ctx.options.assumePoliciesApply ? ctx.app.policies.launchTemplateVersionGuards[0] : undefined;
      const policy = guard
        ? ` The ${describePolicy(guard, true)} denies creating or updating a group whose launch template version is not specified (autoscaling:LaunchTemplateVersionSpecified), and AWS does not document whether "${v.value}" counts as specified: the deploy may fail.`
        : '';
      out.push({
        at: v.at,
        message:
          `${launchName(ctx)} launches launch template version "${v.value}": a new template version changes what the group launches without the group being updated, so IAM conditions cannot guard it.${policy} ` +
          'Use a specific version (Fn::GetAtt LatestVersionNumber or a number).',
      });
    }
    return out.length > 0 ? out : NO_FINDINGS;
  },
};
