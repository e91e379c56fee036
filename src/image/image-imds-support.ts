import { CustomResource, Stack, Token, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ImageImdsSupportFunction } from './image-imds-support-function';
import {
  IMAGE_ID_ATTRIBUTE,
  IMAGE_ID_PATTERN,
  IMAGE_ID_PROPERTY,
  IMAGE_IMDS_SUPPORT_RESOURCE_TYPE,
  ImageImdsSupportResourceProperties,
} from './private/image-contract';
import { ImdsConfigurationError } from '../private/errors';
import { HandlerProvider } from '../private/handler-provider';

/** Properties of `ImageImdsSupport`. */
export interface ImageImdsSupportProps {
  /**
   * The AMI to mark `ImdsSupport: v2.0`: owned by this account, in the stack's Region.
   *
   * May be a token (e.g. `ec2.MachineImage.lookup(...).getImage(this).imageId`).
   */
  readonly imageId: string;

  /**
   * The operating system of the AMI, for `machineImage`.
   *
   * @default ec2.OperatingSystemType.LINUX
   */
  readonly osType?: ec2.OperatingSystemType;
}

const PROVIDER_ID = 'CdkImdsImageImdsSupportProvider';

/**
 * Marks an AMI `ImdsSupport: v2.0` (ModifyImageAttribute): instances launched from it require
 * IMDSv2 and get hop limit 2 unless the launch or the account default says otherwise.
 *
 * IRREVERSIBLE: EC2 offers no way to remove the mark (only a new AMI from the snapshot is
 * unmarked). Deleting this resource therefore changes nothing.
 *
 * Launch from `machineImage` so that the launch depends on the mark being set, and so that the
 * cdk-imds checker knows the AMI requires IMDSv2.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configure-IMDS-new-instances-ami-configuration.html
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * const image = new imds.ImageImdsSupport(this, 'GoldenImage', {
 *   imageId: 'ami-0123456789abcdef0',
 * });
 * new ec2.Instance(this, 'Instance', {
 *   vpc,
 *   instanceType: new ec2.InstanceType('t3.micro'),
 *   machineImage: image.machineImage,
 * });
 */
export class ImageImdsSupport extends Construct {
  /** The AMI ID, available once the mark is set (`Fn::GetAtt [Resource, ImageId]`). */
  public readonly attrImageId: string;
  /** The marked AMI, to launch from: its ID is `attrImageId`. */
  public readonly machineImage: ec2.IMachineImage;

  public constructor(scope: Construct, id: string, props: ImageImdsSupportProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.imageId) && !IMAGE_ID_PATTERN.test(props.imageId)) {
      throw new ImdsConfigurationError(`imageId is ${JSON.stringify(props.imageId)}: expected an AMI ID such as ami-0123456789abcdef0`);
    }
    const provider = HandlerProvider.getOrCreate(
      this,
      PROVIDER_ID,
      'cdk-imds Custom::ImageImdsSupport',
      (s, i, p) => new ImageImdsSupportFunction(s, i, p),
    );
    provider.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ec2:ModifyImageAttribute'],
        resources: [Stack.of(this).formatArn({ service: 'ec2', account: '', resource: 'image', resourceName: props.imageId })],
      }),
    );
    const properties: ImageImdsSupportResourceProperties = { [IMAGE_ID_PROPERTY]: props.imageId };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: IMAGE_IMDS_SUPPORT_RESOURCE_TYPE,
      properties: properties as unknown as Record<string, unknown>,
    });
    this.attrImageId = resource.getAttString(IMAGE_ID_ATTRIBUTE);
    this.machineImage = new MarkedImage(this.attrImageId, props.osType ?? ec2.OperatingSystemType.LINUX);
  }
}

/** An `IMachineImage` whose ID is the attribute of the custom resource. */
class MarkedImage implements ec2.IMachineImage {
  public constructor(
    private readonly imageId: string,
    private readonly osType: ec2.OperatingSystemType,
  ) {}

  public getImage(_scope: Construct): ec2.MachineImageConfig {
    return {
      imageId: this.imageId,
      osType: this.osType,
      userData: this.osType === ec2.OperatingSystemType.WINDOWS ? ec2.UserData.forWindows() : ec2.UserData.forLinux(),
    };
  }
}
