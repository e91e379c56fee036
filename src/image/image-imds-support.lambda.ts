/**
 * Handler of `Custom::ImageImdsSupport` (aws-cdk-lib Provider framework contract): marks an AMI
 * `ImdsSupport: v2.0`. EC2 cannot undo this, so Delete changes nothing.
 */
import { EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { parseImageProperties } from './private/image-contract';

/** The CloudFormation custom resource event, as the Provider framework passes it on. */
export interface ImageEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: unknown;
  readonly PhysicalResourceId?: string;
}

/** What the Provider framework expects back. */
export interface ImageResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** Attempts per AWS call; the SDK's standard retry strategy backs off on throttling. */
export const MAX_ATTEMPTS = 8;

export async function handler(event: ImageEvent): Promise<ImageResponse> {
  const { RequestType, PhysicalResourceId, ResourceProperties } = event;
  console.log(JSON.stringify({ RequestType, PhysicalResourceId, ResourceProperties }));
  switch (event.RequestType) {
    case 'Create':
    case 'Update': {
      const { ImageId } = parseImageProperties(event.ResourceProperties);
      const ec2 = new EC2Client({ maxAttempts: MAX_ATTEMPTS });
      try {
        await ec2.send(new ModifyImageAttributeCommand({ ImageId, ImdsSupport: { Value: 'v2.0' } }));
      } catch (e) {
        const err = e as { name?: string; message?: string };
        throw new Error(`ImageId ${ImageId}: ModifyImageAttribute (ImdsSupport v2.0) failed: ${err.name ?? 'Error'}: ${err.message ?? String(e)}`);
      }
      return { PhysicalResourceId: ImageId, Data: { ImageId } };
    }
    case 'Delete':
      // ImdsSupport v2.0 cannot be removed from an AMI: nothing to do.
      return { PhysicalResourceId: event.PhysicalResourceId ?? '' };
    default:
      throw new Error(`RequestType is ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}: expected Create, Update or Delete`);
  }
}
