import { App, Stack } from 'aws-cdk-lib';

/** `arn:${AWS::Partition}:ec2:*:*:instance/*` as CloudFormation renders it. */
export const INSTANCE_ARNS = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:*:*:instance/*']] };

/** `arn:${AWS::Partition}:iam::*:role/<name>` as CloudFormation renders it. */
export function roleArnPattern(name: string, account = '*'): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/${name}`]] };
}

/** The statements that deny opting the account defaults out of IMDSv2 (no exemption). */
export const DEFAULTS_OPT_OUT = [
  {
    Sid: 'DenyImdsv1DefaultOptOut',
    Effect: 'Deny',
    Action: 'ec2:ModifyInstanceMetadataDefaults',
    Resource: '*',
    Condition: { StringNotEquals: { 'ec2:Attribute/HttpTokens': 'required' }, Null: { 'ec2:Attribute/HttpTokens': false } },
  },
  {
    Sid: 'DenyHttpTokensEnforcedOptOut',
    Effect: 'Deny',
    Action: 'ec2:ModifyInstanceMetadataDefaults',
    Resource: '*',
    Condition: { StringNotEquals: { 'ec2:Attribute/HttpTokensEnforced': 'enabled' }, Null: { 'ec2:Attribute/HttpTokensEnforced': false } },
  },
];

export function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

/**
 * Every place in a CloudFormation value where an ARN is written with a literal partition.
 *
 * Walks every string (keys included). A string containing `arn:aws` followed by `:` or `-` (any
 * literal partition) is reported with its JSON path. `Fn::Join` parts that end in `arn:` must be
 * followed by `{ Ref: AWS::Partition }`, otherwise that is reported too.
 */
export function literalPartitionArns(value: unknown, path = '$'): string[] {
  const found: string[] = [];
  if (typeof value === 'string') {
    if (/arn:aws[-:]/.test(value)) found.push(`${path}: ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      found.push(...literalPartitionArns(v, `${path}[${i}]`));
      if (typeof v === 'string' && /(^|[^A-Za-z])arn:$/.test(v)) {
        const next = value[i + 1] as { Ref?: string } | undefined;
        if (!next || next.Ref !== 'AWS::Partition') found.push(`${path}[${i + 1}]: an ARN whose partition is not AWS::Partition`);
      }
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      found.push(...literalPartitionArns(k, `${path}.<key>`));
      found.push(...literalPartitionArns(v, `${path}.${k}`));
    }
  }
  return found;
}
