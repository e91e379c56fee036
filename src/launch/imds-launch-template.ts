import { Annotations, Aspects, Stack, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { InstanceFacts, TemplateFacts, literal, ruleFindings } from './private/launch-template-checks';
import { Finding } from '../checks/check';
import { ImdsMetadataOptions, MetadataOptions } from '../metadata-options';
import { ImdsConfigurationError } from '../private/errors';
import { HOP_LIMIT_RANGE } from '../private/hop-limit';
import { userDataScript } from '../private/user-data';

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
 * IPv6 endpoint and tags in metadata off. Its options are checked with the cdk-imds rules, and
 * construction (or, for user data and tags, synthesis) fails when they cannot work: a hop limit
 * outside 1-64 (IMDS002), the IPv6 endpoint on an instance type not built on Nitro (IMDS004) or
 * with the endpoint off (IMDS006), the endpoint off while the launch has user data (IMDS007), or
 * tags in metadata with a tag key IMDS rejects (IMDS009). The endpoint off with a key pair
 * (IMDS008), and values that are tokens, are warnings.
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

  /** What the rules are told about this template at construction. */
  private readonly facts: TemplateFacts;

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
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    const facts: TemplateFacts = {
      path,
      options,
      instanceType: literal(props.instanceType?.toString()),
      userData: userDataScript(props.userData),
      keyPair: props.keyName !== undefined || props.keyPair !== undefined,
    };
    // Fail before the base class records its own, less specific, error. What is not a rule (an
    // httpTokens that is no LaunchTemplateHttpTokens value, props that contradict each other) is
    // checked here, and so is a hop limit that is not a number at all (from JavaScript: the rules
    // judge numbers); the rest are the rules'.
    const hop: unknown = options.httpPutResponseHopLimit;
    const notNumber = hop !== undefined && typeof hop !== 'number' && !Token.isUnresolved(hop);
    const problems = ImdsMetadataOptions.validate(
      { httpTokens: options.httpTokens, httpPutResponseHopLimit: notNumber ? options.httpPutResponseHopLimit : undefined },
      'ImdsLaunchTemplate ',
    );
    if (props.requireImdsv2 && props.httpTokens === ec2.LaunchTemplateHttpTokens.OPTIONAL) {
      problems.push('ImdsLaunchTemplate requireImdsv2 is true while httpTokens is OPTIONAL: remove one of them (tokens are required by default).');
    }
    const found = ruleFindings(facts, RULES_AT_CONSTRUCTION);
    problems.push(...errorsOf(found, { options, instanceType: facts.instanceType }));
    if (problems.length > 0) throw new ImdsConfigurationError(`${path}: ${problems.join(' ')}`);

    // aws-cdk-lib judges a token hop limit as the number that stands for it (an error): a token is
    // written to the template below instead.
    const hopToken = Token.isUnresolved(options.httpPutResponseHopLimit);
    super(scope, id, {
      ...props,
      requireImdsv2: undefined,
      httpTokens: options.httpTokens,
      httpPutResponseHopLimit: hopToken ? undefined : options.httpPutResponseHopLimit,
      httpEndpoint: options.httpEndpoint,
      httpProtocolIpv6: options.httpProtocolIpv6,
      instanceMetadataTags: options.instanceMetadataTags,
    });
    this.metadataOptions = options;
    this.containerHost = containerHost;
    this.facts = facts;
    if (hopToken) {
      (this.node.defaultChild as ec2.CfnLaunchTemplate).addPropertyOverride('LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit', options.httpPutResponseHopLimit);
    }

    if (options.httpTokens === ec2.LaunchTemplateHttpTokens.OPTIONAL) {
      Annotations.of(this).addWarningV2(
        'cdk-imds:ImdsLaunchTemplate.httpTokensOptional',
        'httpTokens is OPTIONAL: instances from this template accept IMDSv1. Remove httpTokens to require IMDSv2.',
      );
    }
    addWarnings(this, found, { options });
    if (hopToken) {
      Annotations.of(this).addWarningV2(
        'cdk-imds:ImdsLaunchTemplate.hopLimitUnresolved',
        `ImdsLaunchTemplate httpPutResponseHopLimit is a token: cannot verify that it is ${HOP_LIMIT_RANGE} (IMDS002), which EC2 requires. ` +
          'Use a literal hop limit, or acknowledge this warning if the value is always in range.',
      );
    }
    if (options.httpProtocolIpv6 && props.instanceType !== undefined && facts.instanceType === undefined) {
      Annotations.of(this).addWarningV2('cdk-imds:ImdsLaunchTemplate.instanceTypeUnresolved', instanceTypeUnresolved('instanceType'));
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
   * work with the instance: its type (IPv6 endpoint, IMDS004), its user data (endpoint off, IMDS007,
   * checked once the tree is complete) or its tags (tags in metadata, IMDS009, likewise). A key pair
   * on the instance with the endpoint off (IMDS008), or an instance type that is a token with the
   * IPv6 endpoint on, is a warning on the instance.
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
    // The template's own settings are its own checks': the instance brings its type, key pair,
    // user data and tags, and the template its metadata options.
    const template: TemplateFacts = { path: this.node.path, options: this.metadataOptions };
    const facts: InstanceFacts = { path: instance.node.path, instanceType: literal(cfn.instanceType), keyPair: cfn.keyName !== undefined };
    const terms: Terms = { options: this.metadataOptions, instanceType: facts.instanceType, instance: instance.node.path };
    const found = ruleFindings(template, RULES_ON_APPLY, facts);
    const errors = errorsOf(found, terms);
    if (errors.length > 0) throw new ImdsConfigurationError(`${where}: ${errors.join(' ')}`);
    addWarnings(instance, found, terms);
    if (this.metadataOptions.httpProtocolIpv6 && cfn.instanceType !== undefined && facts.instanceType === undefined) {
      Annotations.of(instance).addWarningV2('cdk-imds:ImdsLaunchTemplate.instanceTypeUnresolved', instanceTypeUnresolved(`instance ${instance.node.path} instanceType`));
    }
    cfn.launchTemplate = { launchTemplateId: this.launchTemplateId, version: this.latestVersionNumber };
    instance.node.addValidation({
      validate: () => {
        const tagKeys = literalTagKeys(instance, cfn.tags, this.metadataOptions, `instance ${instance.node.path}`);
        const finished: InstanceFacts = { path: instance.node.path, userData: userDataScript(instance.userData), tagKeys };
        return errorsOf(ruleFindings(template, RULES_ONCE_COMPLETE, finished), terms).map((e) => `${where}: ${e}`);
      },
    });
  }

  private validateFinishedTemplate(): string[] {
    const tagKeys = literalTagKeys(this, this.tags, this.metadataOptions, 'this template');
    const finished: TemplateFacts = { ...this.facts, userData: userDataScript(this.userData), tagKeys };
    return errorsOf(ruleFindings(finished, RULES_ONCE_COMPLETE), { options: this.metadataOptions });
  }
}

/** The rules an `ImdsLaunchTemplate` checks at construction: what its props already tell. */
const RULES_AT_CONSTRUCTION = ['IMDS002', 'IMDS004', 'IMDS006', 'IMDS007', 'IMDS008'];
/** The rules checked once the tree is complete: user data can grow and tags are added by aspects. */
const RULES_ONCE_COMPLETE = ['IMDS007', 'IMDS009'];
/** The rules `applyToInstance` checks at once, on the instance's own settings. */
const RULES_ON_APPLY = ['IMDS004', 'IMDS008'];

/** The warning ID of each rule whose findings are warnings. */
const WARNING_IDS: Readonly<Record<string, string>> = {
  IMDS008: 'cdk-imds:ImdsLaunchTemplate.keyPairWithoutEndpoint',
};

/** What a message needs to say a finding in the words of the props. */
interface Terms {
  readonly options: MetadataOptions;
  readonly instanceType?: string;
  /** The instance's path, for the checks of `applyToInstance`. */
  readonly instance?: string;
}

/**
 * What the user set, and how to fix it, in the words of the construct: [what, fix].
 * The rule's message between them says what is wrong in CloudFormation terms.
 */
const CONSTRUCT_TERMS: Readonly<Record<string, (t: Terms) => [string, string]>> = {
  IMDS002: (t) => [
    `httpPutResponseHopLimit is ${t.options.httpPutResponseHopLimit}`,
    `set httpPutResponseHopLimit to ${HOP_LIMIT_RANGE}, or leave it out for 1 (2 with containerHost: true).`,
  ],
  IMDS004: (t) =>
    t.instance
      ? [
        `httpProtocolIpv6 is true but instance ${t.instance} has instanceType ${t.instanceType}`,
        'give the instance a Nitro instanceType (e.g. t3, m5, c6i and newer), or apply a template with httpProtocolIpv6 false.',
      ]
      : [
        `httpProtocolIpv6 is true but instanceType is ${t.instanceType}`,
        'choose a Nitro instanceType (e.g. t3, m5, c6i and newer), or set httpProtocolIpv6 to false.',
      ],
  IMDS006: () => ['httpProtocolIpv6 is true while httpEndpoint is false', 'set httpEndpoint to true, or httpProtocolIpv6 to false.'],
  IMDS007: (t) =>
    t.instance
      ? [`httpEndpoint is false but instance ${t.instance} has user data`, "set httpEndpoint to true, or remove the instance's user data."]
      : ['httpEndpoint is false but userData has commands', 'set httpEndpoint to true, or remove the commands from userData.'],
  IMDS008: (t) =>
    t.instance
      ? [`httpEndpoint is false and instance ${t.instance} names a key pair`, "set httpEndpoint to true, or drop the instance's key pair and log in with Session Manager."]
      : ['httpEndpoint is false and the template names a key pair (keyPair or keyName)', 'set httpEndpoint to true, or drop the key pair and log in with Session Manager.'],
  IMDS009: (t) =>
    t.instance
      ? [`instanceMetadataTags is true and a tag key of instance ${t.instance} cannot be served by IMDS`, "rename the instance's tag, or set instanceMetadataTags to false."]
      : ['instanceMetadataTags is true and a tag key cannot be served by IMDS', 'rename the tag, or set instanceMetadataTags to false.'],
};

/** A finding in the construct's words: `ImdsLaunchTemplate <what>: IMDS00x: <the rule's message> CDK fix: <fix>`. */
function constructMessage(f: Finding, terms: Terms): string {
  const [what, fix] = CONSTRUCT_TERMS[f.ruleId](terms);
  return `ImdsLaunchTemplate ${what}: ${f.message} CDK fix: ${fix}`;
}

function errorsOf(found: readonly Finding[], terms: Terms): string[] {
  return found.filter((f) => f.level === 'error').map((f) => constructMessage(f, terms));
}

function addWarnings(scope: IConstruct, found: readonly Finding[], terms: Terms): void {
  for (const f of found) {
    if (f.level === 'warning') Annotations.of(scope).addWarningV2(WARNING_IDS[f.ruleId], constructMessage(f, terms));
  }
}

function instanceTypeUnresolved(what: string): string {
  return (
    `ImdsLaunchTemplate httpProtocolIpv6 is true but ${what} is a token: cannot verify that it is built on Nitro (IMDS004), ` +
    'which the IPv6 metadata endpoint needs. Use a literal instance type, or acknowledge this warning if the type is always a Nitro type.'
  );
}

/**
 * The literal tag keys of a resource, for the rules. With tags in metadata on, a key that is a
 * token cannot be verified: a warning says so.
 */
function literalTagKeys(scope: IConstruct, tags: { tagValues(): Record<string, string> }, options: MetadataOptions, whose: string): string[] {
  const keys = Object.keys(tags.tagValues());
  const literals = keys.filter((k) => !Token.isUnresolved(k));
  if (options.instanceMetadataTags && literals.length < keys.length) {
    Annotations.of(scope).addWarningV2(
      'cdk-imds:ImdsLaunchTemplate.tagKeyUnresolved',
      `ImdsLaunchTemplate instanceMetadataTags is true but a tag key of ${whose} is a token: cannot verify that IMDS can serve it (IMDS009), and a key it cannot serve fails the launch. ` +
        'Use literal tag keys, or acknowledge this warning if every key is one IMDS can serve.',
    );
  }
  return literals;
}
