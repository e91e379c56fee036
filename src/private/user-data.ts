import { Token, aws_ec2 as ec2 } from 'aws-cdk-lib';

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

/** Whether a user data script has more than blank lines and a leading shebang. */
export function userDataScriptHasContent(script: string): boolean {
  const lines = script.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length > 0 && lines[0].startsWith('#!')) lines.shift();
  // Windows user data from aws-cdk-lib wraps nothing in <powershell></powershell>.
  const rest = lines.join('\n').replace(/<\/?powershell>/g, '').trim();
  return rest.length > 0;
}
