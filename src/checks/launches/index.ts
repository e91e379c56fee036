/**
 * Everything in a template that starts EC2 instances ("a launch"), read into one shape
 * (`shape.ts`), one reader per launch kind.
 *
 * Adding a launch kind: write its reader in a file of its own (a `LaunchKind`: the resource type
 * and a `read` that builds the launch with the helpers of `LaunchReader`), then list it in `KINDS`.
 */
import type { AppModel } from '../app-model';
import type { ResourceEntry } from '../template-model';
import { APPSTREAM_APP_BLOCK_BUILDER, APPSTREAM_FLEET, APPSTREAM_IMAGE_BUILDER } from './appstream';
import { AUTO_SCALING_GROUP } from './auto-scaling-group';
import { BATCH_COMPUTE_ENVIRONMENT } from './batch';
import { EKS_NODEGROUP } from './eks-nodegroup';
import { ELASTIC_BEANSTALK_CONFIGURATION_TEMPLATE, ELASTIC_BEANSTALK_ENVIRONMENT } from './elastic-beanstalk';
import { EMR_CLUSTER } from './emr';
import { EC2_FLEET, SPOT_FLEET } from './fleets';
import { IMAGE_BUILDER_INFRASTRUCTURE } from './image-builder';
import { INSTANCE } from './instance';
import type { LaunchKind } from './kind';
import { standaloneLaunchConfiguration } from './launch-configuration';
import { standaloneLaunchTemplate } from './launch-template';
import { ReadRun } from './reader';
import { SAGEMAKER_NOTEBOOK } from './sagemaker';
import type { Launch } from './shape';
import { WORKSPACE_INSTANCE } from './workspaces';

export * from './shape';
export { imageFact } from './images';

/** The launch kinds, in the order their launches are visited. */
export const KINDS: readonly LaunchKind[] = [
  INSTANCE,
  AUTO_SCALING_GROUP,
  EC2_FLEET,
  SPOT_FLEET,
  EKS_NODEGROUP,
  BATCH_COMPUTE_ENVIRONMENT,
  IMAGE_BUILDER_INFRASTRUCTURE,
  SAGEMAKER_NOTEBOOK,
  APPSTREAM_FLEET,
  APPSTREAM_IMAGE_BUILDER,
  APPSTREAM_APP_BLOCK_BUILDER,
  WORKSPACE_INSTANCE,
  ELASTIC_BEANSTALK_ENVIRONMENT,
  ELASTIC_BEANSTALK_CONFIGURATION_TEMPLATE,
  EMR_CLUSTER,
];

/**
 * Every resource type the launch readers read: the launches, the launch templates and
 * configurations they use (or that stand alone), ECS capacity providers (container hosts), and
 * EMR security configurations (an EMR cluster's IMDS settings).
 */
export function launchResourceTypes(): string[] {
  return [...KINDS.map((k) => k.type), 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration', 'AWS::ECS::CapacityProvider', 'AWS::EMR::SecurityConfiguration'];
}

/** Read every launch of every template. Launch templates and configurations no launch uses are launches of their own. */
export function findLaunches(app: AppModel): Launch[] {
  const launches: Launch[] = [];
  forEachLaunch(app, (l) => launches.push(l));
  return launches;
}

/**
 * Visit every launch, one at a time, so a caller can check each and let it go (large templates
 * then never hold every launch in memory at once).
 */
export function forEachLaunch(app: AppModel, visit: (launch: Launch) => void): void {
  const run = new ReadRun(app);
  const used = new Set<ResourceEntry>();
  for (const model of app.templates) {
    const reader = run.readerOf(model);
    for (const kind of KINDS) {
      for (const r of model.resourcesOfType(kind.type)) {
        const launch = kind.read(reader, r);
        if (!launch) continue;
        for (const v of launch.variants) if (v.launchTemplate) used.add(v.launchTemplate.entry);
        const lc = launch.launchConfiguration;
        const lcEntry = lc ? lc.model.resources.get(lc.logicalId) : undefined;
        if (lcEntry) used.add(lcEntry);
        visit(launch);
      }
    }
  }
  for (const model of app.templates) {
    const reader = run.readerOf(model);
    for (const lt of model.resourcesOfType('AWS::EC2::LaunchTemplate')) if (!used.has(lt)) visit(standaloneLaunchTemplate(reader, lt));
    for (const lc of model.resourcesOfType('AWS::AutoScaling::LaunchConfiguration')) if (!used.has(lc)) visit(standaloneLaunchConfiguration(reader, lc));
  }
}
