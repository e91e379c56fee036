/** `AWS::Batch::ComputeEnvironment` (managed, EC2 or Spot): options only through its launch template; always a container host. */
import { isObject } from '../template-model';
import type { LaunchKind } from './kind';
import { TagFact, loc } from './shape';

export const BATCH_COMPUTE_ENVIRONMENT: LaunchKind = {
  type: 'AWS::Batch::ComputeEnvironment',
  read(x, r) {
    const cr = r.properties.ComputeResources;
    if (!isObject(cr)) return undefined; // UNMANAGED: Batch launches no instances
    const type = x.model.resolve(cr.Type)[0];
    if (type.kind === 'known' && typeof type.value === 'string' && type.value.startsWith('FARGATE')) return undefined;
    const base = 'Properties/ComputeResources';
    const found = isObject(cr.LaunchTemplate) ? x.findTemplate(r, cr.LaunchTemplate, `${base}/LaunchTemplate`) : undefined;
    const tags: TagFact[] = [];
    if (isObject(cr.Tags)) for (const key of Object.keys(cr.Tags)) tags.push({ key, at: loc(x.model, r.logicalId, `${base}/Tags`) });
    const variant = x.variant(found, [], {
      resource: r,
      imageId: cr.ImageId,
      imagePath: `${base}/ImageId`,
      instanceTypes: x.typeList(r, cr.InstanceTypes, `${base}/InstanceTypes`),
      batchTypes: true,
      keyName: cr.Ec2KeyPair,
      keyNamePath: `${base}/Ec2KeyPair`,
      launchTemplatePath: `${base}/LaunchTemplate`,
      tags,
    });
    const subnets = () => x.subnetList(r, cr.Subnets, `${base}/Subnets`, 'the compute environment names no subnets');
    return x.launch(r, [variant], subnets, { containerHost: 'a Batch compute environment runs containers' });
  },
};
