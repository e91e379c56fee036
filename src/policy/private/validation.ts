import { Token } from 'aws-cdk-lib';
import { HOP_LIMIT_ADVICE, HOP_LIMIT_MAX, hopLimitRangeMessage, isValidHopLimit } from '../../private/hop-limit';

/** Marker of a string token inside a string (`${Token[...]}`). */
const TOKEN_MARKER = /\$\{Token\[[^\]]*\]\}/g;
const TOKEN_PLACEHOLDER = '\u0000';

/** IAM role and user names, with a path, and the `*` and `?` wildcards of `StringLike`. */
const PRINCIPAL_NAME = /^[A-Za-z0-9+=,.@_\-/*?]+$/;

/**
 * Check a maximum hop limit: a whole number from 1 to 64 (tokens pass unchecked).
 *
 * @returns an error message, or undefined when the value is valid
 */
export function hopLimitProblem(prop: string, value: number): string | undefined {
  if (Token.isUnresolved(value)) return undefined;
  if (!isValidHopLimit(value)) return hopLimitRangeMessage(prop, value, `the hop limits EC2 accepts; ${HOP_LIMIT_ADVICE}, ${HOP_LIMIT_MAX} to allow any`);
  return undefined;
}

/**
 * Check admin principal ARN patterns used with `aws:PrincipalARN` and `StringNotLike`.
 *
 * A pattern is `arn:<partition>:iam::<account>:role/<name>` (or `user/<name>`, or `root`), where
 * the partition is `*` or a token such as `Aws.PARTITION`, the account is 12 digits, a wildcard
 * or a token, and the name may use `*` and `?`. A pattern that is entirely a token (such as
 * `role.roleArn`) passes. A pattern matching every role or user is refused: it would exempt
 * everyone.
 *
 * @returns one message per problem
 */
export function adminPrincipalArnProblems(prop: string, patterns: string[]): string[] {
  const problems: string[] = [];
  if (patterns.length === 0) {
    return [
      `${prop} is empty: give at least one ARN pattern of the principals allowed to change instance metadata ` +
        "settings, e.g. Imdsv2PolicyStatements.adminRoleArnPattern('ImdsAdmins'), or leave the prop out for no restriction.",
    ];
  }
  const seen = new Set<string>();
  patterns.forEach((pattern, i) => {
    const where = `${prop}[${i}]`;
    if (typeof pattern !== 'string' || pattern.length === 0) {
      problems.push(`${where} is ${JSON.stringify(pattern)}: it must be a non-empty IAM principal ARN pattern.`);
      return;
    }
    if (seen.has(pattern)) {
      problems.push(`${where} is ${JSON.stringify(pattern)}, which is listed twice: list each pattern once.`);
      return;
    }
    seen.add(pattern);
    const problem = adminPrincipalArnProblem(pattern);
    if (problem) problems.push(`${where} is ${JSON.stringify(pattern)}: ${problem}`);
  });
  return problems;
}

function adminPrincipalArnProblem(pattern: string): string | undefined {
  const text = pattern.replace(TOKEN_MARKER, TOKEN_PLACEHOLDER);
  if (text === TOKEN_PLACEHOLDER) return undefined; // a whole ARN known at deployment, e.g. role.roleArn
  const expected = 'expected arn:*:iam::<account ID or *>:role/<role name or pattern> (or user/<name>, or root)';
  const parts = text.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn') return `it is not an IAM principal ARN pattern; ${expected}.`;
  const [, partition, service, region, account, resource] = parts;
  if (partition !== '*' && partition !== TOKEN_PLACEHOLDER) {
    return `the partition "${partition}" is written literally, so the policy works in one partition only; ` +
      'write arn:*: or use Imdsv2PolicyStatements.adminRoleArnPattern(), which takes the stack\'s partition.';
  }
  if (service !== 'iam') return `the service is "${service}", but principals are IAM roles or users; ${expected}.`;
  if (region !== '') return `IAM ARNs have no Region, but "${region}" is given; ${expected}.`;
  if (!/^([0-9*?]+|\u0000)$/.test(account) || (/^[0-9]+$/.test(account) && account.length !== 12)) {
    return `the account "${account}" must be a 12-digit account ID, a wildcard or a token; ${expected}.`;
  }
  if (resource === 'root') return undefined;
  if (resource.includes(TOKEN_PLACEHOLDER)) return undefined;
  const slash = resource.indexOf('/');
  const kind = slash < 0 ? resource : resource.slice(0, slash);
  const name = slash < 0 ? '' : resource.slice(slash + 1);
  if (kind !== 'role' && kind !== 'user') return `"${kind}" is not a principal type; ${expected}.`;
  if (name.length === 0 || !PRINCIPAL_NAME.test(name)) {
    return `the ${kind} name "${name}" may contain only letters, digits, + = , . @ _ - /, and the wildcards * and ?; ${expected}.`;
  }
  if (/^[*?/]+$/.test(name)) {
    return `it matches every ${kind}, so the restriction would exempt everyone; name the admin ${kind}s (a prefix with * is fine).`;
  }
  return undefined;
}

/** Check an IAM role name or role name pattern (with an optional path). */
export function roleNameProblem(prop: string, roleName: string): string | undefined {
  if (Token.isUnresolved(roleName)) return undefined;
  if (roleName.length === 0 || !PRINCIPAL_NAME.test(roleName)) {
    return `${prop} is ${JSON.stringify(roleName)}: a role name (optionally with a path, e.g. "admins/ImdsAdmin") may contain only ` +
      'letters, digits, + = , . @ _ - /, and the wildcards * and ?.';
  }
  if (/^[*?/]+$/.test(roleName)) {
    return `${prop} is ${JSON.stringify(roleName)}: it matches every role, so the restriction would exempt everyone; name the admin roles.`;
  }
  return undefined;
}

/** Check an account ID: 12 digits (tokens pass). */
export function accountProblem(prop: string, account: string): string | undefined {
  if (Token.isUnresolved(account)) return undefined;
  if (!/^[0-9]{12}$/.test(account)) return `${prop} is ${JSON.stringify(account)}: an AWS account ID is 12 digits.`;
  return undefined;
}

/**
 * Check AWS Organizations target IDs: a root (`r-...`), an OU (`ou-...-...`) or an account (12 digits).
 *
 * @returns one message per problem
 */
export function targetIdProblems(prop: string, targetIds: string[]): string[] {
  const allowed = 'a root ID (r-xxxx), an organizational unit ID (ou-xxxx-xxxxxxxx) or a 12-digit account ID';
  if (!Array.isArray(targetIds) || targetIds.length === 0) {
    return [`${prop} is empty: the policy must be attached to at least one target, ${allowed}.`];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  targetIds.forEach((id, i) => {
    if (Token.isUnresolved(id)) return;
    if (seen.has(id)) {
      problems.push(`${prop}[${i}] is ${JSON.stringify(id)}, which is listed twice: list each target once.`);
      return;
    }
    seen.add(id);
    if (!/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12})$/.test(id)) {
      problems.push(`${prop}[${i}] is ${JSON.stringify(id)}: it must be ${allowed}.`);
    }
  });
  return problems;
}
