import {
  AspectPriority,
  Aspects,
  Duration,
  IAspect,
  Names,
  Stack,
  Token,
  aws_autoscaling as autoscaling,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cloudwatchActions,
  aws_ec2 as ec2,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ImdsConfigurationError } from '../private/errors';

/**
 * The CloudWatch namespace of the IMDS metrics of EC2 instances.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
 */
const NAMESPACE = 'AWS/EC2';

/** IMDSv1 calls (no token) that the instance metadata service answered. */
const METADATA_NO_TOKEN = 'MetadataNoToken';

/** IMDSv1 calls (no token) that the instance metadata service refused because IMDSv2 is required. */
const METADATA_NO_TOKEN_REJECTED = 'MetadataNoTokenRejected';

/** Properties of an `Imdsv1UsageAlarms`. */
export interface Imdsv1UsageAlarmsProps {
  /**
   * The construct whose EC2 instances (`AWS::EC2::Instance`) and Auto Scaling groups
   * (`AWS::AutoScaling::AutoScalingGroup`) get alarms.
   *
   * Resources added to it later, anywhere in the construct tree, are found too: the alarms are
   * added at synthesis by an aspect. Launch templates, launch configurations and fleets get no
   * alarm of their own: the metrics are published per instance and per Auto Scaling group. The
   * alarms are in the stack of this construct: a resource of another stack (same account and
   * Region) is referenced through a CloudFormation export.
   *
   * @default - the stack of this construct
   */
  readonly scope?: IConstruct;

  /**
   * The period over which the calls are summed, a whole number of minutes.
   *
   * EC2 publishes instance metrics every 5 minutes (every minute with detailed monitoring).
   *
   * @default Duration.minutes(5)
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
   */
  readonly period?: Duration;

  /**
   * The alarm goes off when more than this many IMDSv1 calls are counted in a period.
   *
   * @default 0 - any IMDSv1 call sets the alarm off
   */
  readonly threshold?: number;

  /**
   * The number of periods over which the calls are compared with the threshold, at least 1.
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;

  /**
   * Whether each instance and group also gets an alarm on `MetadataNoTokenRejected`: IMDSv1 calls
   * refused because IMDSv2 is required, that is, software that broke after enforcement.
   *
   * @default false
   */
  readonly includeRejected?: boolean;

  /**
   * An SNS topic that each alarm notifies when it goes off.
   *
   * @default - no topic
   */
  readonly topic?: sns.ITopic;

  /**
   * Actions each alarm runs when it goes off, after the notification to `topic`.
   *
   * @default - no actions besides `topic`
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * Whether to add a CloudWatch dashboard with a graph of each alarm.
   *
   * @default - a dashboard only when `dashboardName` is given
   */
  readonly dashboard?: boolean;

  /**
   * The name of the dashboard; giving one adds the dashboard.
   *
   * @default - a name CloudFormation generates, when `dashboard` is true
   */
  readonly dashboardName?: string;
}

/**
 * CloudWatch alarms on IMDSv1 calls, one per EC2 instance and per Auto Scaling group in a scope.
 *
 * Before a team requires IMDSv2 it needs to know which instances still call IMDSv1. EC2 publishes
 * `MetadataNoToken` (IMDSv1 calls answered) and `MetadataNoTokenRejected` (IMDSv1 calls refused
 * once IMDSv2 is required) in `AWS/EC2`, with the dimension `InstanceId` or `AutoScalingGroupName`.
 * This construct alarms on the `Sum` of `MetadataNoToken` over `period` for every
 * `AWS::EC2::Instance` (dimension `InstanceId`) and `AWS::AutoScaling::AutoScalingGroup` (dimension
 * `AutoScalingGroupName`) in `scope`, and, with `includeRejected`, on `MetadataNoTokenRejected`.
 *
 * The resources are found at synthesis by a mutating aspect on `scope`, so resources added after
 * this construct are covered. Each alarm has the id `<unique id of the resource>MetadataNoToken`
 * (or `...MetadataNoTokenRejected`) under this construct.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
 * @example
 * declare const vpc: ec2.IVpc;
 *
 * new ec2.Instance(this, 'Legacy', {
 *   vpc,
 *   instanceType: new ec2.InstanceType('t3.micro'),
 *   machineImage: ec2.MachineImage.latestAmazonLinux2023(),
 * });
 * new imds.Imdsv1UsageAlarms(this, 'Imdsv1Usage', {
 *   topic: new sns.Topic(this, 'Imdsv1Calls'),
 *   dashboardName: 'imdsv1-usage',
 * });
 */
export class Imdsv1UsageAlarms extends Construct {
  private readonly period: Duration;
  private readonly threshold: number;
  private readonly evaluationPeriods: number;
  private readonly includeRejected: boolean;
  private readonly actions: cloudwatch.IAlarmAction[];
  private readonly dashboardConstruct?: cloudwatch.Dashboard;
  private readonly seen = new Set<IConstruct>();

  constructor(scope: Construct, id: string, props: Imdsv1UsageAlarmsProps = {}) {
    super(scope, id);
    this.period = props.period ?? Duration.minutes(5);
    this.threshold = props.threshold ?? 0;
    this.evaluationPeriods = props.evaluationPeriods ?? 1;
    this.includeRejected = props.includeRejected ?? false;
    validate(this.node.path, this.period, this.threshold, this.evaluationPeriods);

    this.actions = [
      ...(props.topic ? [new cloudwatchActions.SnsAction(props.topic)] : []),
      ...(props.alarmActions ?? []),
    ];
    if (props.dashboard === true || (props.dashboard !== false && props.dashboardName !== undefined)) {
      this.dashboardConstruct = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    }

    const visitor: IAspect = { visit: (node) => this.visit(node) };
    Aspects.of(props.scope ?? Stack.of(this)).add(visitor, { priority: AspectPriority.MUTATING });
  }

  private visit(node: IConstruct): void {
    if (this.seen.has(node)) return;
    if (node instanceof ec2.CfnInstance) {
      this.seen.add(node);
      this.addAlarms(node, 'InstanceId', node.ref, 'instance');
    } else if (node instanceof autoscaling.CfnAutoScalingGroup) {
      this.seen.add(node);
      this.addAlarms(node, 'AutoScalingGroupName', node.ref, 'Auto Scaling group');
    }
  }

  private addAlarms(resource: IConstruct, dimension: string, value: string, what: string): void {
    const metrics = this.includeRejected ? [METADATA_NO_TOKEN, METADATA_NO_TOKEN_REJECTED] : [METADATA_NO_TOKEN];
    for (const metricName of metrics) {
      const metric = new cloudwatch.Metric({
        namespace: NAMESPACE,
        metricName,
        dimensionsMap: { [dimension]: value },
        statistic: cloudwatch.Stats.SUM,
        period: this.period,
      });
      const calls = metricName === METADATA_NO_TOKEN ? 'IMDSv1 calls answered' : 'IMDSv1 calls refused (IMDSv2 is required)';
      const alarm = new cloudwatch.Alarm(this, `${Names.nodeUniqueId(resource.node)}${metricName}`, {
        metric,
        threshold: this.threshold,
        evaluationPeriods: this.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${calls} on the ${what} ${resource.node.path} (${NAMESPACE} ${metricName}).`,
      });
      if (this.actions.length > 0) alarm.addAlarmAction(...this.actions);
      this.dashboardConstruct?.addWidgets(new cloudwatch.AlarmWidget({ alarm, title: `${metricName}: ${resource.node.path}` }));
    }
  }
}

function validate(path: string, period: Duration, threshold: number, evaluationPeriods: number): void {
  if (!period.isUnresolved()) {
    const seconds = period.toSeconds();
    if (seconds < 60 || seconds % 60 !== 0) {
      throw new ImdsConfigurationError(
        `${path}: period is ${seconds} seconds; it must be a whole number of minutes (a multiple of 60 seconds, at least 60), ` +
        'because EC2 publishes MetadataNoToken every 5 minutes, or every minute with detailed monitoring.',
      );
    }
  }
  if (!Token.isUnresolved(threshold) && !(Number.isFinite(threshold) && threshold >= 0)) {
    throw new ImdsConfigurationError(
      `${path}: threshold is ${threshold}; it must be a number of calls, 0 or more (0 alarms on any IMDSv1 call).`,
    );
  }
  if (!Token.isUnresolved(evaluationPeriods) && !(Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1)) {
    throw new ImdsConfigurationError(`${path}: evaluationPeriods is ${evaluationPeriods}; it must be a whole number, 1 or more.`);
  }
}
