/**
 * `AWS::AutoScaling::AutoScalingGroup`: a launch template (with mixed-instances overrides that may
 * name other launch templates), a launch configuration, or an instance to copy.
 */
import { Location, ResourceEntry, isObject } from '../template-model';
import { describeValues, tagKey } from './facts';
import type { LaunchKind } from './kind';
import { launchConfigurationVariant } from './launch-configuration';
import type { LaunchReader } from './reader';
import { ALL_OPTIONS, LaunchTags, LaunchVariant, TagFact, THREE_OPTIONS, loc } from './shape';

export const AUTO_SCALING_GROUP: LaunchKind = {
  type: 'AWS::AutoScaling::AutoScalingGroup',
  read(x, r) {
    const p = r.properties;
    const tags = x.lazyTags(p.Tags, () => groupTags(x, r));
    const variants: LaunchVariant[] = [];
    let launchConfiguration: Location | undefined;
    if (isObject(p.LaunchTemplate)) {
      const found = x.findTemplate(r, p.LaunchTemplate, 'Properties/LaunchTemplate');
      variants.push(x.variant(found, [], { resource: r, tags, version: [p.LaunchTemplate.Version, 'Properties/LaunchTemplate/Version'] }));
    } else if (isObject(p.MixedInstancesPolicy)) {
      variants.push(...mixedInstancesVariants(x, r, p.MixedInstancesPolicy, tags));
    } else if (p.LaunchConfigurationName !== undefined) {
      const refs = x.model.resolve(p.LaunchConfigurationName);
      const lcRef = refs.find((v) => v.kind === 'ref');
      const lcEntry = lcRef && lcRef.kind === 'ref' ? lcRef.model.resources.get(lcRef.logicalId) : undefined;
      launchConfiguration = loc(x.model, r.logicalId, 'Properties/LaunchConfigurationName');
      if (lcEntry && lcRef && lcRef.kind === 'ref' && lcEntry.type === 'AWS::AutoScaling::LaunchConfiguration') {
        launchConfiguration = loc(lcRef.model, lcEntry.logicalId, '');
        variants.push(launchConfigurationVariant(x, lcEntry, lcRef.model, tags));
      } else {
        const why = `the launch configuration is ${describeValues(refs)}, not in the templates given`;
        variants.push(x.unreadableVariant(r, why, 'Properties/LaunchConfigurationName', THREE_OPTIONS));
      }
    } else if (p.InstanceId !== undefined) {
      const why = 'the group copies the settings of instance ' + describeValues(x.model.resolve(p.InstanceId));
      variants.push(x.unreadableVariant(r, why, 'Properties/InstanceId', ALL_OPTIONS));
    } else {
      return x.launch(r, [x.unreadableVariant(r, 'the group names no launch template or launch configuration', 'Properties', ALL_OPTIONS)], { subnets: [] });
    }
    const subnets = () => x.subnetList(r, p.VPCZoneIdentifier, 'Properties/VPCZoneIdentifier', 'the group has no VPCZoneIdentifier (default subnets of its Availability Zones)');
    const ecs = x.ecsHosts.has(r.logicalId) ? 'an ECS capacity provider uses this group' : undefined;
    return x.launch(r, variants, subnets, { containerHost: () => ecs ?? x.containerHostFromUserData(variants[0]), launchConfiguration });
  },
};

/** The launch template of a mixed-instances policy first, then each override that names another launch template. */
function mixedInstancesVariants(x: LaunchReader, r: ResourceEntry, policy: Record<string, unknown>, tags: LaunchTags): LaunchVariant[] {
  const lt = isObject(policy.LaunchTemplate) ? policy.LaunchTemplate : {};
  const spec = isObject(lt.LaunchTemplateSpecification) ? lt.LaunchTemplateSpecification : {};
  const base = 'Properties/MixedInstancesPolicy/LaunchTemplate';
  const found = x.findTemplate(r, spec, `${base}/LaunchTemplateSpecification`);
  const overrides = x.model.list(lt.Overrides, r.logicalId, `${base}/Overrides`);
  const variants: LaunchVariant[] = [];
  const types: Array<[unknown, string]> = [];
  (Array.isArray(overrides) ? overrides : []).forEach((o, i) => {
    if (!isObject(o)) return;
    const path = `${base}/Overrides/${i}`;
    if (isObject(o.LaunchTemplateSpecification)) {
      const other = x.findTemplate(r, o.LaunchTemplateSpecification, `${path}/LaunchTemplateSpecification`);
      variants.push(
        x.variant(other, [], {
          resource: r,
          tags,
          label: `override ${i}`,
          instanceType: o.InstanceType,
          instanceTypePath: `${path}/InstanceType`,
          version: [o.LaunchTemplateSpecification.Version, `${path}/LaunchTemplateSpecification/Version`],
        }),
      );
    } else if (o.InstanceType !== undefined) {
      types.push([o.InstanceType, `${path}/InstanceType`]);
    }
  });
  variants.unshift(
    x.variant(found, [], {
      resource: r,
      tags,
      instanceTypes: types.length > 0 ? types : undefined,
      version: [spec.Version, `${base}/LaunchTemplateSpecification/Version`],
    }),
  );
  return variants;
}

/** The tags a group gives its instances (those with `PropagateAtLaunch` not false). */
function groupTags(x: LaunchReader, r: ResourceEntry): TagFact[] {
  const path = 'Properties/Tags';
  const list = x.model.list(r.properties.Tags, r.logicalId, path);
  if (!Array.isArray(list)) return list ? [{ why: list.why, at: loc(x.model, r.logicalId, path) }] : [];
  const out: TagFact[] = [];
  list.forEach((t, i) => {
    if (!isObject(t)) return;
    const prop = x.model.resolve(t.PropagateAtLaunch)[0];
    if (prop.kind === 'known' && (prop.value === false || prop.value === 'false')) return;
    out.push(...tagKey(x.model, t.Key, loc(x.model, r.logicalId, `${path}/${i}/Key`)));
  });
  return out;
}
