import { Token } from 'aws-cdk-lib';
import { HOP_LIMIT_MAX } from '../../private/hop-limit';

/** The default description of a RequireImdsv2 policy. */
export function describeRequireImdsv2Policy(maxHopLimit: number): string {
  let hop: string;
  if (Token.isUnresolved(maxHopLimit)) hop = `hop limit at most ${Token.asString(maxHopLimit)}`;
  else hop = maxHopLimit >= HOP_LIMIT_MAX ? 'any hop limit' : `hop limit at most ${maxHopLimit}`;
  return `Requires IMDSv2 on EC2 launches (${hop}) and denies switching instances back to IMDSv1.`;
}
