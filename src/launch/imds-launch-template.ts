import { Annotations, Aspects, Stack, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { hypervisorOf } from '../checks/instance-types';
import { IMDS_TAG_KEY_RULE, imdsTagKeyProblem } from '../checks/tag-keys';
import { ImdsMetadataOptions, MetadataOptions } from '../metadata-options';
import { ImdsConfigurationError } from '../private/errors';
import { hasUserData } from '../private/user-data';

/**
 * Properties for an `ImdsLaunchTemplate`.
 *
 * Every `ec2.LaunchTemplateProps` prop applies. The metadata options default to the secure
 * values instead of being left unset: `httpTokens` REQUIRED, `httpEndpoint` true,
 * `httpPutResponseHopLimit` 1 (2 with `containerHost`), `httpProtocolIpv6` false and
 * `instanceMetadataTags` false.
 */
export interface ImdsLaunchTemplateProps extends ec2.LaunchTemplateProps {
  /**
   * Whether the instances run containers (ECS, EKS, Docker) that must reach IMDSv2.
   *
   * Sets the default hop limit to 2, which a container's network hop needs. With hop limit 1,
   * containers cannot reach IMDS at all, which some teams want on purpose.
   *
   * @default false
   */
  readonly containerHost?: boolean;
}

/**
 * A launch template that requires IMDSv2 and validates its metadata options.
 *
 * Secure by default: tokens required, endpoint on, hop limit 1 (2 with `containerHost: true`),
 * IPv6 endpoint and tags in metadata off. Construction fails when the options cannot work:
 * a hop limit outside 1-64, the IPv6 endpoint on an instance type not built on Nitro or with the
 * endpoint off, the endpoint off while the launch has user data, or tags in metadata with a tag
 * key IMDS rejects.
 *
 * Use it wherever `ec2.LaunchTemplate` fits: as `launchTemplate` of an Auto Scaling group, in a
 * mixed-instances policy, or on an `ec2.Instance` through `applyToInstance`.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * const template = new ImdsLaunchTemplate(this, 'Template', {
 *   instanceType: new ec2.InstanceType('t3.micro'),
 *   machineImage: ec2.MachineImage.latestAmazonLinux2023(),
 * });
 * new autoscaling.AutoScalingGroup(this, 'Group', { vpc, launchTemplate: template });
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
 */
export class ImdsLaunchTemplate extends ec2.LaunchTemplate {
  /** The metadata options this template renders, defaults filled in. */
  public readonly metadataOptions: MetadataOptions;

  /** Whether the template was made for a container host (default hop limit 2). */
  public readonly containerHost: boolean;

  private readonly keyNamed: boolean;

  constructor(scope: Construct, id: string, props: ImdsLaunchTemplateProps = {}) {
    const containerHost = props.containerHost ?? false;
    const defaults = ImdsMetadataOptions.secureDefaults({ containerHost });
    const options: MetadataOptions = {
      httpTokens: props.requireImdsv2 ? ec2.LaunchTemplateHttpTokens.REQUIRED : props.httpTokens ?? defaults.httpTokens,
      httpPutResponseHopLimit: props.httpPutResponseHopLimit ?? defaults.httpPutResponseHopLimit,
      httpEndpoint: props.httpEndpoint ?? defaults.httpEndpoint,
      httpProtocolIpv6: props.httpProtocolIpv6 ?? defaults.httpProtocolIpv6,
      instanceMetadataTags: props.instanceMetadataTags ?? defaults.instanceMetadataTags,
    };
    // Fail before the base class records its own, less specific, error.
    const problems = ImdsMetadataOptions.validate(options, 'ImdsLaunchTemplate ');
    if (props.requireImdsv2 && props.httpTokens === ec2.LaunchTemplateHttpTokens.OPTIONAL) {
      problems.push('ImdsLaunchTemplate requireImdsv2 is true while httpTokens is OPTIONAL: remove one of them (tokens are required by default).');
    }
    problems.push(...ipv6InstanceTypeProblems(options, props.instanceType, 'ImdsLaunchTemplate instanceType'));
    if (props.userData && options.httpEndpoint === false && hasUserData(props.userData)) {
      problems.push(endpointOffWithUserDataMessage('ImdsLaunchTemplate'));
    }
    if (problems.length > 0) {
      throw new ImdsConfigurationError(`${scope.node.path ? scope.node.path + '/' : ''}${id}: ${problems.join(' ')}`);
    }

    super(scope, id, {
      ...props,
      requireImdsv2: undefined,
      httpTokens: options.httpTokens,
      httpPutResponseHopLimit: options.httpPutResponseHopLimit,
      httpEndpoint: options.httpEndpoint,
      httpProtocolIpv6: options.httpProtocolIpv6,
      instanceMetadataTags: options.instanceMetadataTags,
    });
    this.metadataOptions = options;
    this.containerHost = containerHost;
    this.keyNamed = props.keyName !== undefined || props.keyPair !== undefined;

    if (options.httpTokens === ec2.LaunchTemplateHttpTokens.OPTIONAL) {
      Annotations.of(this).addWarningV2(
        'cdk-imds:ImdsLaunchTemplate.httpTokensOptional',
        'httpTokens is OPTIONAL: instances from this template accept IMDSv1. Remove httpTokens to require IMDSv2.',
      );
    }
    if (options.httpProtocolIpv6 && props.instanceType !== undefined && Token.isUnresolved(props.instanceType.toString())) {
      Annotations.of(this).addWarningV2(
        'cdk-imds:ImdsLaunchTemplate.instanceTypeUnresolved',
        'httpProtocolIpv6 is true but the instance type is a token: cannot verify that it is built on Nitro.',
      );
    }
    if (options.httpEndpoint === false && this.keyNamed) {
      Annotations.of(this).addWarningV2(
        'cdk-imds:ImdsLaunchTemplate.keyPairWithoutEndpoint',
        'httpEndpoint is false and the template names a key pair: the public key is served by IMDS, so key-pair login may fail.',
      );
    }

    // User data and tags can still change after construction (addCommands, Tags.of): check them
    // once the tree is complete.
    this.node.addValidation({ validate: () => this.validateFinishedTemplate() });
  }

  /**
   * Make an `ec2.Instance` launch from this template, so the instance gets its metadata options.
   *
   * The instance keeps its own settings (image, type, user data, network); the template adds what
   * the instance does not set, the metadata options among them. Fails when the instance sets its own
   * metadata options (they would override the template's), or when this template's options cannot
   * work with the instance's type or user data.
   */
  public applyToInstance(instance: ec2.Instance): void {
    const cfn = instance.node.defaultChild as ec2.CfnInstance;
    const where = `applyToInstance(${instance.node.path})`;
    if (cfn.metadataOptions !== undefined) {
      throw new ImdsConfigurationError(
        `${where}: the instance sets its own metadata options (httpTokens, httpEndpoint, ... or requireImdsv2), which override the launch template's. ` +
          'Remove them from the instance and let this template carry them.',
      );
    }
    const requiresImdsv2Aspect = Aspects.of(instance).all.some((a) => a instanceof ec2.InstanceRequireImdsv2Aspect);
    if (cfn.launchTemplate !== undefined || requiresImdsv2Aspect) {
      throw new ImdsConfigurationError(
        `${where}: the instance already launches from a launch template (requireImdsv2: true adds one). Remove requireImdsv2 from the instance.`,
      );
    }
    if (Stack.of(instance) !== Stack.of(this)) {
      throw new ImdsConfigurationError(`${where}: the instance is in stack ${Stack.of(instance).stackName}, this template in ${Stack.of(this).stackName}; they must share a stack.`);
    }
    const problems = ipv6InstanceTypeProblems(this.metadataOptions, cfn.instanceType, `instance ${instance.node.path} instanceType`);
    if (problems.length > 0) throw new ImdsConfigurationError(`${where}: ${problems.join(' ')}`);
    cfn.launchTemplate = { launchTemplateId: this.launchTemplateId, version: this.latestVersionNumber };
    instance.node.addValidation({
      validate: () =>
        this.metadataOptions.httpEndpoint === false && hasUserData(instance.userData)
          ? [`${where}: ${endpointOffWithUserDataMessage('ImdsLaunchTemplate')}`]
          : [],
    });
  }

  private validateFinishedTemplate(): string[] {
    const errors: string[] = [];
    if (this.metadataOptions.httpEndpoint === false && this.userData && hasUserData(this.userData)) {
      errors.push(endpointOffWithUserDataMessage('ImdsLaunchTemplate'));
    }
    if (this.metadataOptions.instanceMetadataTags) {
      const tags = this.tags.tagValues();
      for (const key of Object.keys(tags)) {
        if (Token.isUnresolved(key)) continue;
        const problem = imdsTagKeyProblem(key);
        if (problem) {
          errors.push(
            `ImdsLaunchTemplate instanceMetadataTags is true and tag key "${key}" cannot be served by IMDS (${problem}); the launch would fail. ` +
              `Allowed in a key: ${IMDS_TAG_KEY_RULE}. Rename the tag, or set instanceMetadataTags to false.`,
          );
        }
      }
    }
    return errors;
  }
}

function ipv6InstanceTypeProblems(options: MetadataOptions, instanceType: ec2.InstanceType | string | undefined, what: string): string[] {
  if (!options.httpProtocolIpv6 || instanceType === undefined) return [];
  const name = instanceType.toString();
  if (Token.isUnresolved(name)) return [];
  if (hypervisorOf(name) !== 'xen') return [];
  return [
    `httpProtocolIpv6 is true but ${what} is ${name}, which is not built on the Nitro System; the IPv6 metadata endpoint is only served on Nitro instances. ` +
      'Choose a Nitro instance type (e.g. t3, m5, c6i and newer) or set httpProtocolIpv6 to false.',
  ];
}

function endpointOffWithUserDataMessage(what: string): string {
  return (
    `${what} httpEndpoint is false but the launch has user data, which is read from instance metadata and would not run. ` +
    'Set httpEndpoint to true, or remove the user data.'
  );
}
