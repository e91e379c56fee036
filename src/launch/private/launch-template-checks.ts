/**
 * The checker's rules over one `ImdsLaunchTemplate`, before its template is synthesized.
 *
 * The construct's checks are the rules of `checks/`: this module describes the launch template
 * (and, for `applyToInstance`, the instance that launches from it) as the CloudFormation the rules
 * read, runs the rules asked for, and returns their findings. Only literal values are described:
 * a token is left out (the construct says it cannot verify it), so a rule never judges a token's
 * placeholder as if it were the value.
 */
import { Token } from 'aws-cdk-lib';
import { Finding, runChecks } from '../../checks/check';
import { ruleById } from '../../checks/rules';
import { MetadataOptions } from '../../metadata-options';

/** What the rules are told about a launch template. */
export interface TemplateFacts {
  /** The construct path: the logical ID in the rules' messages. */
  readonly path: string;
  /** The metadata options the template renders; a token option is left out. */
  readonly options: MetadataOptions;
  /** The instance type, when the template sets a literal one. */
  readonly instanceType?: string;
  /** The user data script, when the template has user data. */
  readonly userData?: string;
  /** Whether the template names a key pair. */
  readonly keyPair?: boolean;
  /** The literal keys of the tags its instances get. */
  readonly tagKeys?: readonly string[];
}

/** What the rules are told about an instance that launches from the template. */
export interface InstanceFacts {
  /** The construct path: the logical ID in the rules' messages. */
  readonly path: string;
  /** The instance type, when literal. */
  readonly instanceType?: string;
  /** The user data script, when the instance has user data. */
  readonly userData?: string;
  /** Whether the instance names a key pair. */
  readonly keyPair?: boolean;
  /** The literal keys of the instance's tags. */
  readonly tagKeys?: readonly string[];
}

/**
 * The findings of some rules on a launch template alone, or on an instance launched from it.
 *
 * @param ruleIds the rules to run, by ID
 * @param instance the instance, to check the launch it makes with the template (findings on the
 *                 template alone are then left to the template's own checks)
 */
export function ruleFindings(template: TemplateFacts, ruleIds: readonly string[], instance?: InstanceFacts): Finding[] {
  const resources: Record<string, unknown> = {};
  const data: Record<string, unknown> = { MetadataOptions: metadataOptions(template.options) };
  if (!instance) {
    Object.assign(data, launchFacts(template, 'TagSpecifications'));
  }
  resources[template.path] = { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: data } };
  if (instance) {
    resources[instance.path] = {
      Type: 'AWS::EC2::Instance',
      Properties: {
        LaunchTemplate: { LaunchTemplateId: { Ref: template.path }, Version: { 'Fn::GetAtt': [template.path, 'LatestVersionNumber'] } },
        ...launchFacts(instance, 'Tags'),
      },
    };
  }
  const rules = ruleIds.map((id) => {
    const rule = ruleById(id);
    if (!rule) throw new Error(`no rule ${id} in the catalogue`);
    return rule;
  });
  return [...runChecks([{ path: template.path, template: { Resources: resources } }], {}, undefined, false, rules).findings];
}

/** A value the rules may judge: undefined for a token. */
export function literal<T>(value: T | undefined): T | undefined {
  return value === undefined || Token.isUnresolved(value) ? undefined : value;
}

function launchFacts(facts: TemplateFacts | InstanceFacts, tagsAs: 'TagSpecifications' | 'Tags'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (facts.instanceType !== undefined) out.InstanceType = facts.instanceType;
  if (facts.userData !== undefined) out.UserData = { 'Fn::Base64': facts.userData };
  if (facts.keyPair) out.KeyName = 'key-pair';
  const tags = (facts.tagKeys ?? []).map((Key) => ({ Key, Value: '' }));
  if (tags.length > 0) out[tagsAs] = tagsAs === 'Tags' ? tags : [{ ResourceType: 'instance', Tags: tags }];
  return out;
}

function metadataOptions(options: MetadataOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const tokens = literal(options.httpTokens);
  if (tokens !== undefined) out.HttpTokens = tokens;
  const hops = literal(options.httpPutResponseHopLimit);
  if (hops !== undefined) out.HttpPutResponseHopLimit = hops;
  if (options.httpEndpoint !== undefined) out.HttpEndpoint = onOff(options.httpEndpoint);
  if (options.httpProtocolIpv6 !== undefined) out.HttpProtocolIpv6 = onOff(options.httpProtocolIpv6);
  if (options.instanceMetadataTags !== undefined) out.InstanceMetadataTags = onOff(options.instanceMetadataTags);
  return out;
}

function onOff(value: boolean): string {
  return value ? 'enabled' : 'disabled';
}
