/** `AWS::WorkspacesInstances::WorkspaceInstance`: a managed instance with full metadata options of its own. */
import { isObject } from '../template-model';
import { tagSpecifications } from './facts';
import type { LaunchKind } from './kind';
import { ALL_OPTIONS } from './shape';

export const WORKSPACE_INSTANCE: LaunchKind = {
  type: 'AWS::WorkspacesInstances::WorkspaceInstance',
  read(x, r) {
    const m = isObject(r.properties.ManagedInstance) ? r.properties.ManagedInstance : {};
    const base = 'Properties/ManagedInstance';
    const variant = x.variant(undefined, [{ raw: m.MetadataOptions, path: `${base}/MetadataOptions`, supported: ALL_OPTIONS }], {
      resource: r,
      optionsPath: `${base}/MetadataOptions`,
      imageId: m.ImageId,
      imagePath: `${base}/ImageId`,
      instanceType: m.InstanceType,
      instanceTypePath: `${base}/InstanceType`,
      userData: m.UserData,
      userDataPath: `${base}/UserData`,
      keyName: m.KeyName,
      keyNamePath: `${base}/KeyName`,
      tags: tagSpecifications(x.model, r, m.TagSpecifications, `${base}/TagSpecifications`),
    });
    const subnets = () => x.subnetsOf(r, [[`${base}/SubnetId`, m.SubnetId]], m.NetworkInterfaces, `${base}/NetworkInterfaces`);
    return x.launch(r, [variant], subnets);
  },
};
