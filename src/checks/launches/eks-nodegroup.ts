/** `AWS::EKS::Nodegroup`: options only through its launch template; always a container host. */
import { isObject } from '../template-model';
import { eksAmiTypeFact } from './images';
import type { LaunchKind } from './kind';

export const EKS_NODEGROUP: LaunchKind = {
  type: 'AWS::EKS::Nodegroup',
  read(x, r) {
    const p = r.properties;
    const lt = isObject(p.LaunchTemplate) ? p.LaunchTemplate : undefined;
    const spec = lt ? { LaunchTemplateId: lt.Id, LaunchTemplateName: lt.Name, Version: lt.Version } : undefined;
    const found = spec ? x.findTemplate(r, spec, 'Properties/LaunchTemplate') : undefined;
    const variant = x.variant(found, [], {
      resource: r,
      instanceTypes: x.typeList(r, p.InstanceTypes, 'Properties/InstanceTypes'),
      keyName: isObject(p.RemoteAccess) ? p.RemoteAccess.Ec2SshKey : undefined,
      keyNamePath: 'Properties/RemoteAccess/Ec2SshKey',
      launchTemplatePath: 'Properties/LaunchTemplate',
      // Without an AMI in the launch template, EKS launches the AMI of the node group's AmiType.
      defaultImages: () => x.model.resolve(p.AmiType).map(eksAmiTypeFact),
    });
    const subnets = () => x.subnetList(r, p.Subnets, 'Properties/Subnets', 'the node group names no subnets');
    return x.launch(r, [variant], subnets, { containerHost: 'an EKS managed node group runs pods' });
  },
};
