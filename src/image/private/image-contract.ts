/**
 * The contract of `Custom::ImageImdsSupport`: its resource type, the property the
 * `ImageImdsSupport` construct writes and its handler parses, and the attribute the template
 * checker (`checks/launches/images.ts`) reads: `Fn::GetAtt [<resource>, ImageId]` names an AMI that
 * requires IMDSv2. Each name is defined here only.
 *
 * Imports nothing: the handler bundle and the checker both load this module.
 */

/** The CloudFormation resource type of the AMI custom resource. */
export const IMAGE_IMDS_SUPPORT_RESOURCE_TYPE = 'Custom::ImageImdsSupport';

/** The property naming the AMI to mark. */
export const IMAGE_ID_PROPERTY = 'ImageId';

/** The attribute holding the AMI ID, once marked. */
export const IMAGE_ID_ATTRIBUTE = 'ImageId';

/** AMI IDs as EC2 writes them. */
export const IMAGE_ID_PATTERN = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** `ResourceProperties` of `Custom::ImageImdsSupport`. */
export interface ImageImdsSupportResourceProperties {
  /** The AMI to mark `ImdsSupport: v2.0`. */
  readonly [IMAGE_ID_PROPERTY]: string;
}

/**
 * Check `ResourceProperties`.
 *
 * @throws Error naming the property, the value and what is allowed
 */
export function parseImageProperties(props: unknown): ImageImdsSupportResourceProperties {
  const id = (props as { [IMAGE_ID_PROPERTY]?: unknown } | undefined)?.[IMAGE_ID_PROPERTY];
  if (typeof id !== 'string' || !IMAGE_ID_PATTERN.test(id)) {
    throw new Error(`${IMAGE_ID_PROPERTY} is ${JSON.stringify(id)}: expected an AMI ID such as ami-0123456789abcdef0`);
  }
  return { [IMAGE_ID_PROPERTY]: id };
}
