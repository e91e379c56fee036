import { App, Duration, Stack, aws_autoscaling as autoscaling, aws_cloudwatch as cloudwatch, aws_ec2 as ec2, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { Imdsv1UsageAlarms } from '../../src';

process.env.CDK_VALIDATION = 'false';

function newStack(): Stack {
  const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
  return new Stack(app, 'Workload', { env: { account: '111122223333', region: 'eu-west-1' } });
}

function instance(scope: Construct, id: string): ec2.CfnInstance {
  return new ec2.CfnInstance(scope, id, { imageId: 'ami-12345678', instanceType: 't3.micro' });
}

function group(scope: Construct, id: string): autoscaling.CfnAutoScalingGroup {
  const template = new ec2.CfnLaunchTemplate(scope, `${id}Template`, {
    launchTemplateData: { imageId: 'ami-12345678', instanceType: 't3.micro' },
  });
  return new autoscaling.CfnAutoScalingGroup(scope, id, {
    minSize: '1',
    maxSize: '2',
    availabilityZones: ['eu-west-1a'],
    launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber },
  });
}

function alarmsOn(template: Template, metricName: string): Record<string, any> {
  return template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } });
}

describe('Imdsv1UsageAlarms', () => {
  test('one MetadataNoToken alarm per instance and per Auto Scaling group, with the defaults', () => {
    const stack = newStack();
    const web = instance(stack, 'Web');
    const workers = group(stack, 'Workers');
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage');
    const batch = instance(stack, 'AddedLater');

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    for (const [resource, dimension] of [[web, 'InstanceId'], [batch, 'InstanceId'], [workers, 'AutoScalingGroupName']] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/EC2',
        MetricName: 'MetadataNoToken',
        Dimensions: [{ Name: dimension, Value: { Ref: stack.getLogicalId(resource) } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: Match.absent(),
      });
    }
    expect(Object.keys(alarmsOn(template, 'MetadataNoTokenRejected'))).toEqual([]);
  });

  test('the alarm says which resource it watches', () => {
    const stack = newStack();
    instance(stack, 'Web');
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'IMDSv1 calls answered on the instance Workload/Web (AWS/EC2 MetadataNoToken).',
    });
  });

  test('L2 instances and groups are found through their L1 resources', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
    const machineImage = ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-12345678' });
    const instanceType = new ec2.InstanceType('t3.micro');
    const web = new ec2.Instance(stack, 'Web', { vpc, machineImage, instanceType });
    const asg = new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc, machineImage, instanceType });
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage');

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'InstanceId', Value: { Ref: stack.getLogicalId(web.node.defaultChild as ec2.CfnInstance) } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: { Ref: stack.getLogicalId(asg.node.defaultChild as autoscaling.CfnAutoScalingGroup) } }],
    });
  });

  test('no alarm for a launch template alone', () => {
    const stack = newStack();
    new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { imageId: 'ami-12345678' } });
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage');
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('includeRejected adds a MetadataNoTokenRejected alarm per resource', () => {
    const stack = newStack();
    const web = instance(stack, 'Web');
    const workers = group(stack, 'Workers');
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage', { includeRejected: true });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(Object.values(alarmsOn(template, 'MetadataNoTokenRejected')).map((a) => a.Properties.Dimensions)).toEqual([
      [{ Name: 'InstanceId', Value: { Ref: stack.getLogicalId(web) } }],
      [{ Name: 'AutoScalingGroupName', Value: { Ref: stack.getLogicalId(workers) } }],
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MetadataNoTokenRejected',
      Namespace: 'AWS/EC2',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: 'IMDSv1 calls refused (IMDSv2 is required) on the Auto Scaling group Workload/Workers (AWS/EC2 MetadataNoTokenRejected).',
    });
  });

  test('period, threshold, evaluation periods, topic and actions', () => {
    const stack = newStack();
    instance(stack, 'Web');
    const topic = new sns.Topic(stack, 'Topic');
    const other = new sns.Topic(stack, 'Other');
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage', {
      period: Duration.hours(1),
      threshold: 10,
      evaluationPeriods: 3,
      topic,
      alarmActions: [{ bind: () => ({ alarmActionArn: other.topicArn }) }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MetadataNoToken',
      Period: 3600,
      Threshold: 10,
      EvaluationPeriods: 3,
      AlarmActions: [
        { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) },
        { Ref: stack.getLogicalId(other.node.defaultChild as sns.CfnTopic) },
      ],
    });
  });

  test('scope limits the resources watched', () => {
    const stack = newStack();
    const team = new Construct(stack, 'Team');
    const watched = instance(team, 'Web');
    instance(stack, 'Elsewhere');
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage', { scope: team });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'InstanceId', Value: { Ref: stack.getLogicalId(watched) } }],
    });
  });

  test('an App scope watches the other stacks, through an export', () => {
    const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
    const env = { account: '111122223333', region: 'eu-west-1' };
    const monitoring = new Stack(app, 'Monitoring', { env });
    const workload = new Stack(app, 'Workload', { env });
    const web = instance(workload, 'Web');
    new Imdsv1UsageAlarms(monitoring, 'Imdsv1Usage', { scope: app });

    const template = Template.fromStack(monitoring);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MetadataNoToken',
      Dimensions: [{ Name: 'InstanceId', Value: { 'Fn::ImportValue': Match.stringLikeRegexp(`^Workload:ExportsOutputRef${workload.getLogicalId(web)}`) } }],
    });
    Template.fromStack(workload).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('a dashboard with one alarm widget per alarm when asked', () => {
    const stack = newStack();
    instance(stack, 'Web');
    group(stack, 'Workers');
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage', { dashboardName: 'imdsv1-usage' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard.Properties.DashboardName).toBe('imdsv1-usage');
    const body = JSON.stringify(stack.resolve(dashboard.Properties.DashboardBody));
    expect(body.match(/Workload\/Web/g)?.length).toBe(1);
    expect(body.match(/Workload\/Workers/g)?.length).toBe(1);

    const plain = newStack();
    instance(plain, 'Web');
    new Imdsv1UsageAlarms(plain, 'Imdsv1Usage', { dashboard: true });
    Template.fromStack(plain).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test.each([
    [{ threshold: -1 }, 'Workload/Imdsv1Usage: threshold is -1; it must be a number of calls, 0 or more (0 alarms on any IMDSv1 call).'],
    [{ period: Duration.seconds(90) }, 'Workload/Imdsv1Usage: period is 90 seconds; it must be a whole number of minutes (a multiple of 60 seconds, '
      + 'at least 60), because EC2 publishes MetadataNoToken every 5 minutes, or every minute with detailed monitoring.'],
    [{ period: Duration.seconds(30) }, 'Workload/Imdsv1Usage: period is 30 seconds; it must be a whole number of minutes (a multiple of 60 seconds, '
      + 'at least 60), because EC2 publishes MetadataNoToken every 5 minutes, or every minute with detailed monitoring.'],
    [{ evaluationPeriods: 0 }, 'Workload/Imdsv1Usage: evaluationPeriods is 0; it must be a whole number, 1 or more.'],
    [{ evaluationPeriods: 1.5 }, 'Workload/Imdsv1Usage: evaluationPeriods is 1.5; it must be a whole number, 1 or more.'],
  ])('bad props %p are refused', (props, message) => {
    const stack = newStack();
    expect(() => new Imdsv1UsageAlarms(stack, 'Imdsv1Usage', props)).toThrow(
      expect.objectContaining({ name: 'ImdsConfigurationError', message }),
    );
  });

  test('an alarm action that is an IAlarmAction from aws-cdk-lib works', () => {
    const stack = newStack();
    instance(stack, 'Web');
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111122223333:ops' }) };
    new Imdsv1UsageAlarms(stack, 'Imdsv1Usage', { alarmActions: [action] });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:111122223333:ops'],
    });
  });
});
