/**
 * Whether user data has anything to run.
 *
 * Pure function over text, shared by the launch template construct and the checker (IMDS007).
 */

/**
 * Whether a user data script has more than blank lines and a leading shebang.
 *
 * Empty user data, or only a shebang line (aws-cdk-lib gives every Linux launch `#!/bin/bash`),
 * counts as none.
 */
export function userDataScriptHasContent(script: string): boolean {
  const lines = script.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length > 0 && lines[0].startsWith('#!')) lines.shift();
  // Windows user data from aws-cdk-lib wraps nothing in <powershell></powershell>.
  const rest = lines.join('\n').replace(/<\/?powershell>/g, '').trim();
  return rest.length > 0;
}
