/** `AWS::ImageBuilder::InfrastructureConfiguration`: the build instances' tokens and hop limit. */
import type { LaunchKind } from './kind';
import { TOKENS_AND_HOPS } from './shape';

export const IMAGE_BUILDER_INFRASTRUCTURE: LaunchKind = {
  type: 'AWS::ImageBuilder::InfrastructureConfiguration',
  read(x, r) {
    const p = r.properties;
    const path = 'Properties/InstanceMetadataOptions';
    const variant = x.variant(undefined, [{ raw: p.InstanceMetadataOptions, path, supported: TOKENS_AND_HOPS }], {
      resource: r,
      optionsPath: path,
      supported: TOKENS_AND_HOPS,
      instanceTypes: x.typeList(r, p.InstanceTypes, 'Properties/InstanceTypes'),
      keyName: p.KeyPair,
      keyNamePath: 'Properties/KeyPair',
      imageDescription: 'the AMI of the image recipe',
    });
    const subnets = p.SubnetId !== undefined ? x.subnetsOf(r, [['Properties/SubnetId', p.SubnetId]]) : { subnets: [], unknown: 'no SubnetId' };
    return x.launch(r, [variant], subnets);
  },
};
