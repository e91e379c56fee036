/** What a launch kind's reader is: a resource type and a function that reads one resource of it. */
import type { ResourceEntry } from '../template-model';
import type { LaunchReader } from './reader';
import type { Launch } from './shape';

/** The reader of one resource type that launches instances. */
export interface LaunchKind {
  /** The CloudFormation resource type. */
  readonly type: string;
  /** The launch one resource makes, or undefined when it launches no instances (a Fargate compute environment). */
  read(x: LaunchReader, r: ResourceEntry): Launch | undefined;
}
