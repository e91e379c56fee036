/**
 * `AWS::AutoScaling::LaunchConfiguration`: the variant of the Auto Scaling groups that use it, and
 * a launch of its own when no group of the templates does.
 */
import type { ResourceEntry, TemplateModel } from '../template-model';
import type { LaunchReader } from './reader';
import { Launch, LaunchTags, LaunchVariant, THREE_OPTIONS, loc } from './shape';

/** The variant of a launch configuration (its metadata options have no IPv6 endpoint or tags switch). */
export function launchConfigurationVariant(x: LaunchReader, lc: ResourceEntry, model: TemplateModel, tags: LaunchTags = []): LaunchVariant {
  const p = lc.properties;
  return x.run.readerOf(model).variant(undefined, [{ raw: p.MetadataOptions, path: 'Properties/MetadataOptions', supported: THREE_OPTIONS }], {
    resource: lc,
    optionsPath: 'Properties/MetadataOptions',
    supported: THREE_OPTIONS,
    imageId: p.ImageId,
    imagePath: 'Properties/ImageId',
    instanceType: p.InstanceType,
    instanceTypePath: 'Properties/InstanceType',
    userData: p.UserData,
    userDataPath: 'Properties/UserData',
    keyName: p.KeyName,
    tags,
  });
}

/** A launch configuration no Auto Scaling group of the templates uses. */
export function standaloneLaunchConfiguration(x: LaunchReader, lc: ResourceEntry): Launch {
  return x.launch(lc, [launchConfigurationVariant(x, lc, x.model)], { subnets: [], unknown: 'a launch configuration names no subnet' }, {
    launchConfiguration: loc(x.model, lc.logicalId, ''),
  });
}
