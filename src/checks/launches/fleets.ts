/**
 * `AWS::EC2::EC2Fleet` and `AWS::EC2::SpotFleet`: one variant per launch template config and
 * override (an override may set its own metadata options), or per Spot Fleet launch specification.
 */
import { ResourceEntry, UnknownValue, isObject } from '../template-model';
import { tagSpecifications } from './facts';
import type { LaunchKind } from './kind';
import type { LaunchReader } from './reader';
import { ALL_OPTIONS, Launch, LaunchVariant, NO_OPTIONS } from './shape';

export const EC2_FLEET: LaunchKind = {
  type: 'AWS::EC2::EC2Fleet',
  read(x, r) {
    const configs = x.model.list(r.properties.LaunchTemplateConfigs, r.logicalId, 'Properties/LaunchTemplateConfigs');
    return fleet(x, r, configs, 'Properties/LaunchTemplateConfigs', r.properties.TagSpecifications, 'Properties/TagSpecifications');
  },
};

export const SPOT_FLEET: LaunchKind = {
  type: 'AWS::EC2::SpotFleet',
  read(x, r) {
    const data = isObject(r.properties.SpotFleetRequestConfigData) ? r.properties.SpotFleetRequestConfigData : {};
    const base = 'Properties/SpotFleetRequestConfigData';
    if (data.LaunchTemplateConfigs !== undefined) {
      const configs = x.model.list(data.LaunchTemplateConfigs, r.logicalId, `${base}/LaunchTemplateConfigs`);
      return fleet(x, r, configs, `${base}/LaunchTemplateConfigs`, data.TagSpecification, `${base}/TagSpecification`);
    }
    return launchSpecifications(x, r, data, base);
  },
};

function fleet(
  x: LaunchReader,
  r: ResourceEntry,
  configs: unknown[] | UnknownValue | undefined,
  base: string,
  tagSpecs: unknown,
  tagPath: string,
): Launch {
  if (!Array.isArray(configs)) {
    return x.launch(r, [x.unreadableVariant(r, configs ? configs.why : 'the fleet has no launch template configs', base, ALL_OPTIONS)], { subnets: [] });
  }
  const variants: LaunchVariant[] = [];
  const subnetInputs: Array<[string, unknown]> = [];
  const tags = tagSpecifications(x.model, r, tagSpecs, tagPath);
  configs.forEach((c, i) => {
    if (!isObject(c)) return;
    const spec = isObject(c.LaunchTemplateSpecification) ? c.LaunchTemplateSpecification : {};
    const found = x.findTemplate(r, spec, `${base}/${i}/LaunchTemplateSpecification`);
    const overrides = x.model.list(c.Overrides, r.logicalId, `${base}/${i}/Overrides`);
    const list = Array.isArray(overrides) && overrides.length > 0 ? overrides : [undefined];
    list.forEach((o, j) => {
      const path = `${base}/${i}/Overrides/${j}`;
      const ov = isObject(o) ? o : {};
      if (ov.SubnetId !== undefined) subnetInputs.push([`${path}/SubnetId`, ov.SubnetId]);
      const own = ov.MetadataOptions !== undefined ? [{ raw: ov.MetadataOptions, path: `${path}/MetadataOptions`, supported: ALL_OPTIONS }] : [];
      variants.push(
        x.variant(found, own, {
          resource: r,
          tags,
          label: configs.length > 1 || list.length > 1 ? `config ${i} override ${j}` : undefined,
          instanceType: ov.InstanceType,
          instanceTypePath: `${path}/InstanceType`,
          keyName: ov.KeyName,
        }),
      );
    });
  });
  if (variants.length === 0) variants.push(x.unreadableVariant(r, 'the fleet has no launch template configs', base, ALL_OPTIONS));
  const subnets = () => (subnetInputs.length > 0 ? x.subnetsOf(r, subnetInputs) : x.subnetsFromTemplates(variants));
  return x.launch(r, variants, subnets);
}

function launchSpecifications(x: LaunchReader, r: ResourceEntry, data: Record<string, unknown>, base: string): Launch {
  const specs = x.model.list(data.LaunchSpecifications, r.logicalId, `${base}/LaunchSpecifications`);
  const variants: LaunchVariant[] = [];
  const subnetInputs: Array<[string, unknown]> = [];
  const list = Array.isArray(specs) ? specs : [];
  list.forEach((s, i) => {
    if (!isObject(s)) return;
    const path = `${base}/LaunchSpecifications/${i}`;
    // A launch specification has no metadata options: the options come only from the account
    // default, the AMI or AWS. What a user changes is the fleet (use launch template configs).
    variants.push(
      x.variant(undefined, [], {
        resource: r,
        optionsPath: path,
        supported: NO_OPTIONS,
        label: list.length > 1 ? `launch specification ${i}` : undefined,
        imageId: s.ImageId,
        imagePath: `${path}/ImageId`,
        instanceType: s.InstanceType,
        instanceTypePath: `${path}/InstanceType`,
        userData: s.UserData,
        userDataPath: `${path}/UserData`,
        keyName: s.KeyName,
        tags: tagSpecifications(x.model, r, s.TagSpecifications, `${path}/TagSpecifications`),
      }),
    );
    if (s.SubnetId !== undefined) subnetInputs.push([`${path}/SubnetId`, s.SubnetId]);
  });
  if (variants.length === 0) variants.push(x.unreadableVariant(r, 'the Spot Fleet has neither launch template configs nor launch specifications', base, ALL_OPTIONS));
  return x.launch(r, variants, subnetInputs.length > 0 ? x.subnetsOf(r, subnetInputs) : { subnets: [], unknown: 'the launch specifications name no subnet' });
}
