import { aws_ec2 as ec2 } from 'aws-cdk-lib';

/**
 * The script of CDK user data as the checker reads it (IMDS007 decides whether it has anything to
 * run), or undefined when there is none.
 *
 * User data that cannot be rendered yet counts as user data, as a token does.
 */
export function userDataScript(userData: ec2.UserData | undefined): string | undefined {
  if (!userData) return undefined;
  try {
    return userData.render();
  } catch {
    return 'user data that cannot be rendered before synthesis';
  }
}
