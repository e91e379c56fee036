/** `AWS::EC2::LaunchTemplate` that no launch of the templates uses: a launch of its own (an instance may launch from it later). */
import type { ResourceEntry } from '../template-model';
import type { LaunchReader } from './reader';
import type { Launch } from './shape';

export function standaloneLaunchTemplate(x: LaunchReader, lt: ResourceEntry): Launch {
  const variant = x.variant({ entry: lt, model: x.model }, [], {});
  // Its user data may join an ECS or EKS cluster: a container host, as an instance would be.
  return x.launch(lt, [variant], () => x.templateSubnets(lt, x.model), { containerHost: () => x.containerHostFromUserData(variant) });
}
