/**
 * The contract between the `ImageImdsSupport` construct and its handler, and what the template
 * checker reads from a `Custom::ImageImdsSupport` resource: `Fn::GetAtt [<resource>, ImageId]`
 * names an AMI that requires IMDSv2.
 */

/** The CloudFormation resource type of the AMI custom resource. */
export const IMAGE_IMDS_SUPPORT_RESOURCE_TYPE = 'Custom::ImageImdsSupport';

/** The attribute holding the AMI ID, once marked. */
export const IMAGE_ID_ATTRIBUTE = 'ImageId';

/** AMI IDs as EC2 writes them. */
export const IMAGE_ID_PATTERN = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** `ResourceProperties` of `Custom::ImageImdsSupport`. */
export interface ImageImdsSupportResourceProperties {
  /** The AMI to mark `ImdsSupport: v2.0`. */
  readonly ImageId: string;
}

/**
 * Check `ResourceProperties`.
 *
 * @throws Error naming the property, the value and what is allowed
 */
export function parseImageProperties(props: unknown): ImageImdsSupportResourceProperties {
  const id = (props as { ImageId?: unknown } | undefined)?.ImageId;
  if (typeof id !== 'string' || !IMAGE_ID_PATTERN.test(id)) {
    throw new Error(`ImageId is ${JSON.stringify(id)}: expected an AMI ID such as ami-0123456789abcdef0`);
  }
  return { ImageId: id };
}
