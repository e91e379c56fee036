/**
 * The AMIs known to require IMDSv2, and how a template names them.
 *
 * An AMI requires IMDSv2 when AWS documents it: `ImdsSupport: v2.0` gives instances launched from
 * it HttpTokens `required` and hop limit 2 unless the launch or the account default says otherwise.
 * Each family below is recognised by the name AWS publishes it under (a public SSM parameter path,
 * or an EKS managed node group AMI type) and carries the AWS page that says so. Any other AMI is
 * not known: a launch that leaves HttpTokens unset then does not require IMDSv2 (IMDS001).
 *
 * Looked up and left out (AWS does not document ImdsSupport v2.0 or an IMDSv2 requirement for the
 * AMI itself): Amazon Linux 2 (`/aws/service/ami-amazon-linux-latest/amzn2-ami-*`, EKS `AL2_*`),
 * Bottlerocket (`/aws/service/bottlerocket/...`, EKS `BOTTLEROCKET_*`), Windows Server
 * (`/aws/service/ami-windows-latest/...`, EKS `WINDOWS_*`), and the Amazon ECS-optimized AL2023
 * AMIs (`/aws/service/ecs/optimized-ami/amazon-linux-2023/...`: the ECS guide says in passing that
 * AL2023 has "IMDSv2-only mode enabled by default", but not that the ECS AMIs carry ImdsSupport
 * v2.0, nor their hop limit: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/al2-to-al2023-ami-transition.html).
 */
import { IMAGE_IMDS_SUPPORT_ATTRIBUTE, IMAGE_IMDS_SUPPORT_TYPE } from '../app-model';
import type { Value } from '../template-model';
import type { ImageFact } from './shape';

/** A family of AMIs AWS documents as requiring IMDSv2. */
export interface ImageFamily {
  /** How a template names an AMI of the family: an SSM parameter path, or an EKS AMI type. */
  readonly pattern: RegExp;
  /** The family, for messages and the report: `an Amazon Linux 2023 AMI`. */
  readonly description: string;
  /** What AWS says of it, in brief: `ImdsSupport v2.0`. */
  readonly verdict: string;
  /** The AWS page that says its AMIs require IMDSv2. */
  readonly source: string;
  /** The hop limit its launches get when nothing at launch or account level sets one, when not the AMI's 2. */
  readonly hopLimit?: number;
}

/** EC2 User Guide, "Configure instance metadata options for new instances", "Configure the AMI". */
export const AMI_CONFIGURATION_SOURCE = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html#configure-IMDS-new-instances-ami-configuration';
/** Amazon Linux 2023 User Guide, "IMDSv2": AL2023 AMIs are registered with `imds-support v2.0`, hop limit 2. */
export const AL2023_SOURCE = 'https://docs.aws.amazon.com/linux/al2023/ug/imdsv2.html';
/**
 * Amazon EKS User Guide, "Upgrade from Amazon Linux 2 to Amazon Linux 2023": "AL2023 requires
 * IMDSv2 by default" (IMDSv1 only by overriding the instance metadata launch options), and "the
 * default hop count for managed node groups is set to 1".
 */
export const EKS_AL2023_SOURCE = 'https://docs.aws.amazon.com/eks/latest/userguide/al2023.html';

/** AMIs named by a public SSM parameter (literally, as `resolve:ssm:`, or as an SSM parameter's default). */
export const SSM_IMAGE_FAMILIES: readonly ImageFamily[] = [
  {
    // Every AL2023 edition, kernel and architecture: al2023-ami-kernel-default-x86_64,
    // al2023-ami-kernel-6.1-arm64, al2023-ami-minimal-kernel-6.12-x86_64, ...
    // (ec2.MachineImage.latestAmazonLinux2023() writes /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64).
    pattern: /\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-/,
    description: 'an Amazon Linux 2023 AMI',
    verdict: 'ImdsSupport v2.0',
    source: AL2023_SOURCE,
  },
  {
    // /aws/service/eks/optimized-ami/<version>/amazon-linux-2023/{x86_64,arm64}/{standard,nvidia,neuron}/recommended/image_id
    // (EKS User Guide, "Retrieve recommended Amazon Linux AMI IDs"). Launched by the template itself
    // (self-managed nodes), not by EKS. An AMI that requires IMDSv2 by default does so through
    // ImdsSupport v2.0, the only setting an AMI has for it, which brings hop limit 2.
    pattern: /\/aws\/service\/eks\/optimized-ami\/[^/]+\/amazon-linux-2023\//,
    description: 'an Amazon EKS optimized Amazon Linux 2023 AMI',
    verdict: 'requires IMDSv2',
    source: EKS_AL2023_SOURCE,
  },
];

/** AMI types of EKS managed node groups (`AWS::EKS::Nodegroup` `AmiType`), as EKS launches them. */
export const EKS_AMI_TYPE_FAMILIES: readonly ImageFamily[] = [
  {
    // AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD, AL2023_x86_64_NVIDIA, AL2023_ARM_64_NVIDIA, AL2023_x86_64_NEURON.
    pattern: /^AL2023_/,
    description: 'an Amazon EKS optimized Amazon Linux 2023 AMI',
    verdict: 'requires IMDSv2; hop limit 1 in a managed node group',
    source: EKS_AL2023_SOURCE,
    hopLimit: 1,
  },
];

/** The family an SSM parameter path belongs to. */
function ssmFamily(path: string): ImageFamily | undefined {
  return SSM_IMAGE_FAMILIES.find((f) => f.pattern.test(path));
}

/** What an AMI expression (`ImageId`) tells about IMDS support. */
export function imageFact(v: Value): ImageFact {
  if (v.kind === 'ref') {
    const entry = v.model.resources.get(v.logicalId);
    if (entry?.type === IMAGE_IMDS_SUPPORT_TYPE && v.attribute === IMAGE_IMDS_SUPPORT_ATTRIBUTE) {
      return { support: 'v2', description: `the AMI marked ImdsSupport v2.0 by ${v.logicalId}`, source: AMI_CONFIGURATION_SOURCE, markedInApp: true };
    }
    return { support: 'not-known', description: `the AMI from ${v.logicalId}` };
  }
  if (v.kind === 'known' && typeof v.value === 'string') {
    const family = ssmFamily(v.value);
    if (family) return { support: 'v2', description: `${family.description} (${family.verdict})`, source: family.source };
    return { support: 'not-known', description: `AMI ${v.value}` };
  }
  if (v.kind === 'unknown' && v.parameter) {
    const d = v.parameter.defaultValue;
    const family = typeof d === 'string' && (v.parameter.type ?? '').startsWith('AWS::SSM::Parameter::Value') ? ssmFamily(d) : undefined;
    if (family) return { support: 'v2', description: `${family.description} (parameter ${v.parameter.name}, ${family.verdict})`, source: family.source };
    return { support: 'not-known', description: `the AMI in parameter ${v.parameter.name}` };
  }
  return { support: 'not-known', description: v.kind === 'unknown' ? `an AMI from ${v.why}` : 'no AMI' };
}

/**
 * The AMI an EKS managed node group gets from its `AmiType` (when neither it nor its launch
 * template names an AMI).
 *
 * Without `AmiType`, EKS picks the type: AL2 for node groups created before Kubernetes 1.30,
 * AL2023 for those created on 1.30 or later ("any newly created managed node groups will
 * automatically default to using Amazon Linux 2023": EKS User Guide, Kubernetes versions on
 * extended support, 1.30, https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-extended.html).
 * A template does not tell when the node group was created, so that AMI is not known.
 */
export function eksAmiTypeFact(v: Value): ImageFact {
  if (v.kind === 'absent') {
    return { support: 'not-known', description: 'the default AMI type of an EKS managed node group (AL2 or AL2023, by the Kubernetes version it was created with)' };
  }
  if (v.kind === 'known' && typeof v.value === 'string') {
    const amiType = v.value;
    const family = EKS_AMI_TYPE_FAMILIES.find((f) => f.pattern.test(amiType));
    if (family) return { support: 'v2', description: `EKS AMI type ${amiType} (${family.verdict})`, source: family.source, hopLimit: family.hopLimit };
    return { support: 'not-known', description: `EKS AMI type ${amiType}` };
  }
  if (v.kind === 'unknown') return { support: 'not-known', description: v.parameter ? `the EKS AMI type in parameter ${v.parameter.name}` : `an EKS AMI type from ${v.why}` };
  return { support: 'not-known', description: 'an EKS AMI type that is not literal' };
}
