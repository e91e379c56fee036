/** `AWS::EC2::Instance`: its own options win over those of the launch template it names. */
import { isObject } from '../template-model';
import type { LaunchKind } from './kind';
import { ALL_OPTIONS } from './shape';

export const INSTANCE: LaunchKind = {
  type: 'AWS::EC2::Instance',
  read(x, r) {
    const p = r.properties;
    const found = isObject(p.LaunchTemplate) ? x.findTemplate(r, p.LaunchTemplate, 'Properties/LaunchTemplate') : undefined;
    const variant = x.variant(found, [{ raw: p.MetadataOptions, path: 'Properties/MetadataOptions', supported: ALL_OPTIONS }], {
      resource: r,
      imageId: p.ImageId,
      // EC2's default instance type when neither the instance nor a launch template names one.
      instanceType: p.InstanceType === undefined && !found ? 'm1.small' : p.InstanceType,
      userData: p.UserData,
      keyName: p.KeyName,
      tags: x.lazyTags(p.Tags, () => x.tagList(r, p.Tags, 'Properties/Tags')),
    });
    const subnets = () => x.subnetsOf(r, [['Properties/SubnetId', p.SubnetId]], p.NetworkInterfaces, 'Properties/NetworkInterfaces', found);
    return x.launch(r, [variant], subnets, { containerHost: () => x.containerHostFromUserData(variant) });
  },
};
