/**
 * `AWS::EMR::Cluster`: Amazon EMR launches the cluster's instances itself; CloudFormation has no
 * metadata-options property on the cluster, its instance groups or fleets. The one switch is the
 * cluster's security configuration (`SecurityConfiguration`, the name of an
 * `AWS::EMR::SecurityConfiguration`), whose JSON may carry
 * `InstanceMetadataServiceConfiguration: {MinimumInstanceMetadataServiceVersion: 1 | 2,
 * HttpPutResponseHopLimit: n}` (EMR Management Guide, "Create a security configuration",
 * https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html).
 * "Starting with EMR 5.32 and 6.2, Amazon EMR components use IMDSv2 for all IMDS calls. For IMDS
 * calls in your application code, you can use both IMDSv1 and IMDSv2, or configure the IMDS to
 * use only IMDSv2 for added security" (also 5.27.1 and 5.23.1), with a PUT response hop limit
 * that "defaults to 1" (What's New, 2021-03-30,
 * https://aws.amazon.com/about-aws/whats-new/2021/03/amazon-emr-now-supports-amazon-ec2-instance-metadata-service-v2/):
 * a cluster without that setting accepts IMDSv1.
 *
 * No account default or AMI is counted (`accountLayers: false`): AWS does not say whether EMR's
 * launch requests set HttpTokens when the security configuration does not (which would override an
 * account default), nor how a custom AMI's ImdsSupport combines with it.
 */
import { unknownValue } from '../intrinsics';
import { ResourceEntry, TemplateModel, describe, isObject } from '../template-model';
import type { LaunchKind } from './kind';
import type { LaunchReader } from './reader';
import { LaunchVariant, OptionLayer, TOKENS_AND_HOPS, TokensSwitch, loc } from './shape';
import { UnreadableSwitch, tokensExpression } from './switch-values';

const SECURITY_CONFIGURATION = 'AWS::EMR::SecurityConfiguration';
const IMDS = 'InstanceMetadataServiceConfiguration';
const DOCUMENT = 'Properties/SecurityConfiguration';
/** How a cluster without a security configuration requires IMDSv2 (the rules word their advice with it). */
const NO_SECURITY_CONFIGURATION: TokensSwitch = {
  property: 'SecurityConfiguration',
  path: 'Properties/SecurityConfiguration',
  value: `a security configuration whose ${IMDS} sets MinimumInstanceMetadataServiceVersion to 2`,
};

const SERVICE_DEFAULT = `Amazon EMR allows IMDSv1 unless the cluster's security configuration sets ${IMDS} MinimumInstanceMetadataServiceVersion to 2`;

/** `MinimumInstanceMetadataServiceVersion` 2 is tokens required, 1 optional. */
function tokensOf(value: unknown): string | undefined {
  if (value === 2 || value === '2') return 'required';
  if (value === 1 || value === '1') return 'optional';
  return undefined;
}

/** The options a security configuration document (an object, or its JSON text) sets. */
function fromDocument(model: TemplateModel, sc: ResourceEntry, raw: unknown): unknown {
  let doc = raw;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      model.addProblem(sc.logicalId, DOCUMENT, `${DOCUMENT} of ${sc.logicalId} is text that is not JSON`);
      return unknownValue(`unreadable: ${DOCUMENT} of ${sc.logicalId} is not JSON`);
    }
  }
  if (!isObject(doc)) {
    model.addProblem(sc.logicalId, DOCUMENT, `${DOCUMENT} of ${sc.logicalId} is ${describe(doc)}, expected an object`);
    return {};
  }
  const imds = model.objects(doc[IMDS], sc.logicalId, `${DOCUMENT}/${IMDS}`);
  if (imds.length !== 1) return unknownValue(`unreadable: ${IMDS} of ${sc.logicalId} has several values`);
  const o = imds[0];
  if (o === undefined) return {};
  if ('kind' in o && o.kind === 'unknown') return o;
  const c = o as Record<string, unknown>;
  const tokens = tokensExpression(model, c.MinimumInstanceMetadataServiceVersion, tokensOf, (v) => `MinimumInstanceMetadataServiceVersion of ${sc.logicalId} is ${describe(v)}, neither 1 nor 2`);
  if (tokens instanceof UnreadableSwitch) {
    if (tokens.invalid) model.addProblem(sc.logicalId, DOCUMENT, tokens.why);
    return unknownValue(`unreadable: ${tokens.why}`);
  }
  return { HttpTokens: tokens, HttpPutResponseHopLimit: c.HttpPutResponseHopLimit };
}

/** The security configuration of the templates given whose `Name` is this literal. */
function byName(x: LaunchReader, name: string): { model: TemplateModel; entry: ResourceEntry } | undefined {
  for (const model of [x.model, ...x.app.templates.filter((t) => t !== x.model)]) {
    for (const entry of model.resourcesOfType(SECURITY_CONFIGURATION)) {
      if (model.resolve(entry.properties.Name).some((v) => v.kind === 'known' && v.value === name)) return { model, entry };
    }
  }
  return undefined;
}

function variantOf(r: ResourceEntry, model: TemplateModel, sc: ResourceEntry, label: string | undefined): LaunchVariant {
  const layer: OptionLayer = {
    model,
    logicalId: sc.logicalId,
    path: `${DOCUMENT}/${IMDS}`,
    raw: sc.properties.SecurityConfiguration,
    supported: TOKENS_AND_HOPS,
    translate: (doc) => fromDocument(model, sc, doc),
  };
  const tokensSwitch: TokensSwitch = { property: `${IMDS} MinimumInstanceMetadataServiceVersion`, path: `${DOCUMENT}/${IMDS}/MinimumInstanceMetadataServiceVersion`, value: '2' };
  return plainVariant(r, label, [layer], loc(model, sc.logicalId, DOCUMENT), tokensSwitch);
}

/** A variant with these layers, and no instance type, tag or user data the checks read. */
function plainVariant(r: ResourceEntry, label: string | undefined, layers: OptionLayer[], optionsAt: LaunchVariant['optionsAt'], tokensSwitch: TokensSwitch): LaunchVariant {
  const image = r.properties.CustomAmiId !== undefined ? 'the custom AMI of the cluster' : 'an Amazon EMR AMI';
  return { label, layers, optionsAt, supported: TOKENS_AND_HOPS, images: [{ support: 'not-known', description: image }], instanceTypes: [], tags: [], tokensSwitch };
}

export const EMR_CLUSTER: LaunchKind = {
  type: 'AWS::EMR::Cluster',
  read(x, r) {
    const path = 'Properties/SecurityConfiguration';
    const values = x.model.resolve(r.properties.SecurityConfiguration);
    const label = (i: number) => (values.length > 1 ? `security configuration alternative ${i + 1}` : undefined);
    const variants = values.map((v, i): LaunchVariant => {
      if (v.kind === 'absent') return plainVariant(r, label(i), [], loc(x.model, r.logicalId, path), NO_SECURITY_CONFIGURATION);
      if (v.kind === 'ref') {
        const entry = v.model.resources.get(v.logicalId);
        if (entry?.type === SECURITY_CONFIGURATION) return variantOf(r, v.model, entry, label(i));
        return x.unreadableVariant(r, `${path} refers to ${v.logicalId}, a ${entry?.type ?? 'resource'} that is not a security configuration`, path, TOKENS_AND_HOPS);
      }
      if (v.kind === 'known' && typeof v.value === 'string') {
        const found = byName(x, v.value);
        if (found) return variantOf(r, found.model, found.entry, label(i));
        return x.unreadableVariant(r, `the security configuration "${v.value}" is not defined in the templates given`, path, TOKENS_AND_HOPS);
      }
      return x.unreadableVariant(r, `the security configuration is ${v.kind === 'unknown' ? v.why : describe(v.value)}`, path, TOKENS_AND_HOPS);
    });
    return x.launch(r, variants, { subnets: [] }, { accountLayers: false, serviceDefault: SERVICE_DEFAULT });
  },
};
