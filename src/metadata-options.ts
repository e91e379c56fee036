import { Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { hopLimitRangeMessage, isValidHopLimit } from './private/hop-limit';

/**
 * The five instance metadata options of one launch.
 *
 * Each option left out is not set by the launch: EC2 then takes the account default for the
 * Region, then the AMI's `ImdsSupport`, then the AWS default (the order of precedence).
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
 */
export interface MetadataOptions {
  /**
   * Whether instance metadata requests must carry a session token (IMDSv2).
   *
   * `REQUIRED` turns IMDSv1 off.
   *
   * @default - not set by the launch (the account default, the AMI or `optional` applies)
   */
  readonly httpTokens?: ec2.LaunchTemplateHttpTokens;

  /**
   * How many network hops the PUT response that carries the session token may travel.
   *
   * An integer from 1 to 64. Container hosts need 2 for their containers to reach IMDSv2.
   *
   * @default - not set by the launch (the account default, then 2 for an AMI marked
   * `ImdsSupport: v2.0`, otherwise 1)
   */
  readonly httpPutResponseHopLimit?: number;

  /**
   * Whether the instance metadata endpoint is on.
   *
   * With the endpoint off, user data does not run and the key pair's public key is not served.
   *
   * @default - not set by the launch (the account default, otherwise enabled)
   */
  readonly httpEndpoint?: boolean;

  /**
   * Whether the IPv6 endpoint (`[fd00:ec2::254]`) of the metadata service is on.
   *
   * Needs the endpoint on, an instance type built on Nitro and a subnet with IPv6.
   *
   * @default - not set by the launch (disabled)
   */
  readonly httpProtocolIpv6?: boolean;

  /**
   * Whether the instance's tags can be read from instance metadata.
   *
   * With tags in metadata on, every tag key must be one IMDS can serve: letters, digits and
   * `+ - = . , _ : @`, no spaces or `/`, never `.`, `..` or `_index`; otherwise the launch fails.
   *
   * @default - not set by the launch (the account default, otherwise disabled)
   */
  readonly instanceMetadataTags?: boolean;
}

/**
 * Validation, secure defaults and CloudFormation rendering for `MetadataOptions`.
 *
 * `forInstance` renders for `ec2.CfnInstance.metadataOptions` and `forLaunchTemplate` for
 * `ec2.CfnLaunchTemplate.LaunchTemplateDataProperty.metadataOptions`: each returns the struct type
 * its resource declares, which the Python, Java, .NET and Go bindings check. From Python the
 * options are keyword arguments, e.g.
 * `ImdsMetadataOptions.for_instance(http_tokens=ec2.LaunchTemplateHttpTokens.REQUIRED, http_put_response_hop_limit=2)`.
 *
 * @example
 * const options = ImdsMetadataOptions.secureDefaults({ containerHost: true });
 * const errors = ImdsMetadataOptions.validate(options);
 * declare const cfnInstance: ec2.CfnInstance;
 * cfnInstance.metadataOptions = ImdsMetadataOptions.forInstance({
 *   httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
 *   httpPutResponseHopLimit: 2,
 * });
 */
export class ImdsMetadataOptions {
  /**
   * The options `ImdsLaunchTemplate` uses by default.
   *
   * Tokens required, endpoint on, hop limit 1 (2 for a container host), IPv6 endpoint and tags
   * in metadata off.
   */
  public static secureDefaults(options: SecureDefaultsOptions = {}): MetadataOptions {
    return {
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: options.containerHost ? 2 : 1,
      httpEndpoint: true,
      httpProtocolIpv6: false,
      instanceMetadataTags: false,
    };
  }

  /**
   * Check options that can be judged without the rest of the launch.
   *
   * Values that are tokens are not judged here.
   *
   * @param options the options to check
   * @param propPrefix what to call the options in messages, e.g. `props.` or `metadataOptions.`
   * @returns one message per problem, each naming the prop, the value and what is allowed; empty when valid
   */
  public static validate(options: MetadataOptions, propPrefix: string = ''): string[] {
    const errors: string[] = [];
    const hop = options.httpPutResponseHopLimit;
    if (hop !== undefined && !Token.isUnresolved(hop)) {
      if (!isValidHopLimit(hop)) errors.push(hopLimitRangeMessage(`${propPrefix}httpPutResponseHopLimit`, hop));
    }
    const tokens = options.httpTokens as unknown;
    if (tokens !== undefined && !Token.isUnresolved(tokens) && tokens !== 'required' && tokens !== 'optional') {
      errors.push(`${propPrefix}httpTokens is ${JSON.stringify(tokens)}: it must be LaunchTemplateHttpTokens.REQUIRED or OPTIONAL.`);
    }
    if (options.httpProtocolIpv6 === true && options.httpEndpoint === false) {
      errors.push(
        `${propPrefix}httpProtocolIpv6 is true while ${propPrefix}httpEndpoint is false: the IPv6 endpoint needs the metadata endpoint on. ` +
          'Set httpEndpoint to true, or httpProtocolIpv6 to false.',
      );
    }
    return errors;
  }

  /**
   * Render options as the `MetadataOptions` of an `AWS::EC2::Instance` (`ec2.CfnInstance.metadataOptions`).
   *
   * Booleans become `enabled` / `disabled`; options left out stay out of the template.
   *
   * @param options the options to render (from Python: keyword arguments, `http_tokens=...`)
   * @returns the `ec2.CfnInstance.MetadataOptionsProperty` to assign to `ec2.CfnInstance.metadataOptions`
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-instance-metadataoptions.html
   */
  public static forInstance(options: MetadataOptions): ec2.CfnInstance.MetadataOptionsProperty {
    return render(options);
  }

  /**
   * Render options as the `MetadataOptions` of an `AWS::EC2::LaunchTemplate`
   * (`ec2.CfnLaunchTemplate.LaunchTemplateDataProperty.metadataOptions`).
   *
   * Booleans become `enabled` / `disabled`; options left out stay out of the template.
   *
   * @param options the options to render (from Python: keyword arguments, `http_tokens=...`)
   * @returns the `ec2.CfnLaunchTemplate.MetadataOptionsProperty` to put in `LaunchTemplateDataProperty.metadataOptions`
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-launchtemplate-metadataoptions.html
   */
  public static forLaunchTemplate(options: MetadataOptions): ec2.CfnLaunchTemplate.MetadataOptionsProperty {
    return render(options);
  }

  /**
   * Render options in the CloudFormation `MetadataOptions` shape of a launch template.
   *
   * The result has the launch template's struct type: TypeScript accepts it for
   * `ec2.CfnInstance.metadataOptions` too, the other languages do not.
   *
   * @param options the options to render (from Python: keyword arguments, `http_tokens=...`)
   * @deprecated use `forInstance` for `ec2.CfnInstance` and `forLaunchTemplate` for `ec2.CfnLaunchTemplate`
   */
  public static toCloudFormation(options: MetadataOptions): ec2.CfnLaunchTemplate.MetadataOptionsProperty {
    return render(options);
  }

  private constructor() {}
}

/** Options for `ImdsMetadataOptions.secureDefaults`. */
export interface SecureDefaultsOptions {
  /**
   * Whether the instances run containers that must reach IMDSv2 (ECS, EKS, Docker): hop limit 2.
   *
   * @default false
   */
  readonly containerHost?: boolean;
}

/** The CloudFormation `MetadataOptions` shape, the same for instances and launch templates. */
function render(options: MetadataOptions): ec2.CfnInstance.MetadataOptionsProperty & ec2.CfnLaunchTemplate.MetadataOptionsProperty {
  return {
    httpTokens: options.httpTokens,
    httpPutResponseHopLimit: options.httpPutResponseHopLimit,
    httpEndpoint: onOff(options.httpEndpoint),
    httpProtocolIpv6: onOff(options.httpProtocolIpv6),
    instanceMetadataTags: onOff(options.instanceMetadataTags),
  };
}

function onOff(value: boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value ? 'enabled' : 'disabled';
}
