import { Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { userDataScriptHasContent } from '../checks/user-data';

export { userDataScriptHasContent };

/**
 * Whether user data has anything to run.
 *
 * Empty user data, or only a shebang line (aws-cdk-lib gives every Linux launch `#!/bin/bash`),
 * counts as none. Content that is a token counts as user data.
 */
export function hasUserData(userData: ec2.UserData): boolean {
  let rendered: string;
  try {
    rendered = userData.render();
  } catch {
    return true; // something renders, we cannot tell what: treat it as user data
  }
  if (Token.isUnresolved(rendered)) return true;
  return userDataScriptHasContent(rendered);
}
