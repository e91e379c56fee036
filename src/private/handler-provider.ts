import { CfnElement, Duration, RemovalPolicy, Stack, Validations, aws_iam as iam, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { ImdsConfigurationError } from './errors';

/** Creates the bundled handler function of a custom resource. */
export type HandlerFunctionFactory = (scope: Construct, id: string, props: lambda.FunctionOptions) => lambda.Function;

/**
 * The one provider of a custom resource type in a stack: our handler with its own least-privilege
 * role and log group, behind aws-cdk-lib's Provider framework.
 *
 * Found again with `Stack.of(scope).node.tryFindChild(id)`; never cached outside the tree.
 */
export class HandlerProvider extends Construct {
  /** The provider of `id` in the stack of `scope`, created on first use. */
  public static getOrCreate(scope: IConstruct, id: string, description: string, factory: HandlerFunctionFactory): HandlerProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof HandlerProvider) return existing;
    if (existing) throw new ImdsConfigurationError(`${stack.node.path}/${id} already exists and is not a cdk-imds handler provider: rename that construct`);
    return new HandlerProvider(stack, id, description, factory);
  }

  /** The handler's role: only what its custom resources add, plus writing its own logs. */
  public readonly role: iam.Role;
  /** The handler function. */
  public readonly handler: lambda.Function;
  /** ServiceToken for the custom resources. */
  public readonly serviceToken: string;

  private constructor(scope: Construct, id: string, description: string, factory: HandlerFunctionFactory) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${description} custom resource handler`,
    });
    logGroup.grantWrite(this.role);
    this.handler = factory(this, 'Handler', {
      description,
      role: this.role,
      logGroup,
      timeout: Duration.minutes(5),
      memorySize: 256,
    });

    const frameworkLogs = new logs.LogGroup(this, 'FrameworkLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const frameworkRole = new iam.Role(this, 'FrameworkRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the aws-cdk-lib provider framework for ${description}`,
    });
    frameworkLogs.grantWrite(frameworkRole);
    const provider = new Provider(this, 'Provider', {
      onEventHandler: this.handler,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogs,
    });
    this.serviceToken = provider.serviceToken;
    const handlerId = Stack.of(this).getLogicalId(this.handler.node.defaultChild as CfnElement);
    Validations.of(frameworkRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
      reason:
        'The aws-cdk-lib provider framework grants itself lambda:InvokeFunction on the handler and its versions (`<arn>:*`); it calls only our handler.',
    });
  }
}
