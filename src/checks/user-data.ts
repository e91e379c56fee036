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
  // The first line with anything on it: a shebang there does not count. Lines are not split into
  // a list: the checks call this for every launch.
  const first = script.search(/\S/);
  if (first < 0) return false;
  let rest = script;
  if (script.startsWith('#!', first)) {
    const end = script.indexOf('\n', first);
    if (end < 0) return false;
    rest = script.slice(end + 1);
  }
  // Windows user data from aws-cdk-lib wraps nothing in <powershell></powershell>.
  if (rest.includes('<')) rest = rest.replace(/<\/?powershell>/g, '');
  return /\S/.test(rest);
}

/**
 * Why user data makes a container host (it joins an ECS or an EKS cluster), or undefined. Shared
 * by the checker (IMDS011's container-host detection) and `RequireImdsv2Everywhere`.
 */
export function containerHostUserData(text: string): string | undefined {
  if (/ECS_CLUSTER=/.test(text)) return 'its user data joins an ECS cluster (ECS_CLUSTER)';
  if (/\/etc\/eks\/bootstrap\.sh|nodeadm/.test(text)) return 'its user data joins an EKS cluster';
  // Bottlerocket reads TOML settings: `[settings.ecs]` names the ECS cluster
  // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bottlerocket-launch.html),
  // `[settings.kubernetes]` the EKS cluster (https://repost.aws/knowledge-center/eks-configure-user-data-for-node-groups).
  if (/^\s*\[settings\.ecs\]/m.test(text)) return 'its Bottlerocket user data joins an ECS cluster ([settings.ecs])';
  if (/^\s*\[settings\.kubernetes\]/m.test(text)) return 'its Bottlerocket user data joins a Kubernetes cluster ([settings.kubernetes])';
  return undefined;
}
