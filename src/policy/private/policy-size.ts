import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isIntrinsicObject } from '../../checks/template-json';

/**
 * The longest value each pseudo parameter can take, so that an estimate never undercounts.
 *
 * Partitions: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc.
 */
const PSEUDO_MAX: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'ap-southeast-7',
  'AWS::URLSuffix': 'amazonaws.com.cn',
};

/** How a policy document measures against a size limit. */
export interface PolicySizeEstimate {
  /** Characters counted, with every pseudo parameter at its longest value. */
  readonly chars: number;
  /** Values known only at deployment (not counted), described for messages. */
  readonly unknown: string[];
}

/**
 * Measure a policy document the way AWS does, from the CloudFormation value it synthesizes to.
 *
 * The document is resolved in the scope's stack, serialized as compact JSON, and pseudo
 * parameters (`AWS::Partition`, ...) are counted at their longest value. Any other intrinsic
 * (a `Ref` to a parameter, a `Fn::GetAtt`) cannot be measured: it counts as zero characters and
 * is listed in `unknown`.
 *
 * @param excludeWhitespace IAM does not count whitespace; AWS Organizations counts every character.
 */
export function estimatePolicySize(scope: IConstruct, document: unknown, excludeWhitespace: boolean): PolicySizeEstimate {
  const resolved = Stack.of(scope).resolve(document);
  const unknown: string[] = [];
  const text = renderJson(resolved, unknown);
  const chars = excludeWhitespace ? text.replace(/\s/g, '').length : text.length;
  return { chars, unknown };
}

function renderJson(value: unknown, unknown: string[]): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => renderJson(v, unknown)).join(',')}]`;
  if (typeof value === 'object') {
    if (isIntrinsicObject(value)) {
      const text = renderText(value, unknown);
      return JSON.stringify(text ?? '');
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${renderJson(v, unknown)}`).join(',')}}`;
  }
  return JSON.stringify(String(value));
}

/** The longest string an intrinsic can produce, or undefined (recorded in `unknown`). */
function renderText(value: unknown, unknown: string[]): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (isIntrinsicObject(value)) {
    const [key, arg] = Object.entries(value as Record<string, unknown>)[0];
    if (key === 'Ref' && typeof arg === 'string' && PSEUDO_MAX[arg] !== undefined) return PSEUDO_MAX[arg];
    if (key === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
      return (arg[1] as unknown[]).map((part) => renderText(part, unknown) ?? '').join(arg[0]);
    }
    unknown.push(JSON.stringify(value));
    return undefined;
  }
  unknown.push(JSON.stringify(value));
  return undefined;
}

/** `6144` as `6,144`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
