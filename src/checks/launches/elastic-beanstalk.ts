/**
 * `AWS::ElasticBeanstalk::Environment` and `AWS::ElasticBeanstalk::ConfigurationTemplate`: the
 * instances of an environment are launched by the Auto Scaling group Elastic Beanstalk creates,
 * and their only IMDS switch is the option `aws:autoscaling:launchconfiguration` /
 * `DisableIMDSv1` ("Set to true to disable Instance Metadata Service Version 1 (IMDSv1)",
 * default `false`: "By default, your environment's instances enable both IMDSv1 and IMDSv2"),
 * Elastic Beanstalk Developer Guide, "General options for all environments"
 * (https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html) and
 * "Configuring the instance metadata service on your environment's instances"
 * (https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/environments-cfg-ec2-imds.html).
 *
 * Where a value comes from (Developer Guide, "Precedence" of configuration options,
 * https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options.html#configuration-options-precedence):
 * the environment's own option settings, then the configuration template it names
 * (`TemplateName`), whose own settings override its source (`SourceConfiguration`, or the
 * environment `EnvironmentId` it copies). A saved configuration not defined in the templates
 * given cannot be read: "cannot verify". Configuration files (`.ebextensions`) in the
 * application's source bundle rank below these and are not read here: an environment that
 * leaves the option to them is reported as not requiring IMDSv2, like any launch that does not
 * set HttpTokens itself.
 *
 * No account default or AMI is counted (`accountLayers: false`): AWS does not say whether the
 * launch template or launch configuration Elastic Beanstalk creates sets HttpTokens when
 * `DisableIMDSv1` is false (which would override an account default) or leaves it out, so the
 * conservative reading is the option's documented default.
 */
import { unknownValue } from '../intrinsics';
import { ResourceEntry, TemplateModel, UnknownValue, describe, isObject } from '../template-model';
import type { LaunchKind } from './kind';
import type { LaunchReader } from './reader';
import { Launch, LaunchVariant, OptionLayer, TOKENS_ONLY, TokensSwitch, loc } from './shape';
import { UnreadableSwitch, tokensExpression } from './switch-values';

const ENVIRONMENT = 'AWS::ElasticBeanstalk::Environment';
const CONFIGURATION_TEMPLATE = 'AWS::ElasticBeanstalk::ConfigurationTemplate';
const NAMESPACE = 'aws:autoscaling:launchconfiguration';
const OPTION = 'DisableIMDSv1';
const SETTINGS = 'Properties/OptionSettings';
/** Where the option is, as messages show it: the settings list, and the option in it. */
const OPTION_AT = `${SETTINGS} (${NAMESPACE} ${OPTION})`;
/** How an environment requires IMDSv2 (the rules word their advice with it). */
const SWITCH: TokensSwitch = { property: `the option ${NAMESPACE} ${OPTION}`, path: SETTINGS, value: '"true"' };

const SERVICE_DEFAULT = `Elastic Beanstalk enables IMDSv1 unless the option ${NAMESPACE} ${OPTION} is "true"; its default is "false"`;

/** `DisableIMDSv1` "true" is tokens required, "false" optional (Elastic Beanstalk reads booleans as text). */
function tokensOf(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value.toLowerCase() : value;
  if (text === true || text === 'true') return 'required';
  if (text === false || text === 'false') return 'optional';
  return undefined;
}

/** The values a `Namespace` or `OptionName` expression may have, or why it cannot be read. */
function literals(model: TemplateModel, raw: unknown): { values: unknown[]; unknown?: string } {
  const values: unknown[] = [];
  for (const v of model.resolve(raw)) {
    if (v.kind === 'unknown') return { values, unknown: v.why };
    if (v.kind === 'ref') return { values, unknown: `an attribute of ${v.logicalId}` };
    if (v.kind === 'known') values.push(v.value);
  }
  return { values };
}

/**
 * The options one `OptionSettings` list sets: `{HttpTokens}` from the `DisableIMDSv1` entry,
 * nothing when it has none, or "cannot verify". A list is read twice (to order the layers, then
 * for the options): its problems go to `problems` only when given.
 */
function settingOf(model: TemplateModel, r: ResourceEntry, list: unknown[], problems?: string[]): Record<string, unknown> | UnknownValue {
  const found: unknown[] = [];
  let unsure: string | undefined;
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const namespace = literals(model, entry.Namespace);
    const name = literals(model, entry.OptionName);
    const why = namespace.unknown ?? name.unknown;
    if (why !== undefined) {
      unsure ??= `set by an option setting of ${r.logicalId} whose Namespace or OptionName is ${why}`;
      continue;
    }
    // An entry that is the option only in some alternatives is not counted (read as not set).
    const is = (l: { values: unknown[] }, want: string) => l.values.length > 0 && l.values.every((v) => v === want);
    if (is(namespace, NAMESPACE) && is(name, OPTION)) found.push(entry.Value);
  }
  if (found.length > 1) return unknownValue(`set ${found.length} times in the option settings of ${r.logicalId} (${NAMESPACE} ${OPTION})`);
  if (found.length === 0) return unsure !== undefined ? unknownValue(unsure) : {};
  const tokens = tokensExpression(model, found[0], tokensOf, (v) => `${NAMESPACE} ${OPTION} of ${r.logicalId} is ${describe(v)}, neither "true" nor "false"`);
  if (tokens instanceof UnreadableSwitch) {
    if (tokens.invalid) problems?.push(tokens.why);
    return unknownValue(`unreadable: ${tokens.why}`);
  }
  return { HttpTokens: tokens };
}

function isUnknown(o: Record<string, unknown> | UnknownValue): o is UnknownValue {
  return o.kind === 'unknown';
}

/** The `translate` of a settings layer: `settingOf`, recording the problems of the list. */
function fromSettings(model: TemplateModel, r: ResourceEntry, list: unknown): unknown {
  if (!Array.isArray(list)) {
    model.addProblem(r.logicalId, SETTINGS, `${SETTINGS} of ${r.logicalId} is ${describe(list)}, expected a list`);
    return {};
  }
  const problems: string[] = [];
  const o = settingOf(model, r, list, problems);
  for (const p of problems) model.addProblem(r.logicalId, SETTINGS, p);
  return o;
}

/** Whether a resource's own option settings set the option in every alternative, in none, or in some. */
function ownState(model: TemplateModel, r: ResourceEntry): 'always' | 'never' | 'sometimes' {
  let sets = false;
  let unset = false;
  for (const v of model.resolve(r.properties.OptionSettings)) {
    if (v.kind === 'known' && Array.isArray(v.value)) {
      const o = settingOf(model, r, v.value);
      // A value that cannot be read is "cannot verify", whatever comes after it.
      if (isUnknown(o)) {
        sets = true;
        continue;
      }
      for (const t of model.resolve(o.HttpTokens)) {
        if (t.kind === 'absent') unset = true;
        else sets = true;
      }
    } else if (v.kind === 'unknown' || v.kind === 'ref') {
      sets = true;
    } else {
      unset = true;
    }
  }
  return !sets ? 'never' : unset ? 'sometimes' : 'always';
}

/** Settings that cannot be read: a saved configuration outside the templates, or a running environment. */
interface Unreadable {
  readonly model: TemplateModel;
  readonly logicalId: string;
  readonly path: string;
  readonly why: string;
}

/** Where a launch's option may come from, first first: resources of the templates, or settings that cannot be read. */
type Source = { readonly resource: ResourceEntry; readonly model: TemplateModel } | { readonly unreadable: Unreadable };

/** The sources behind a `TemplateName` expression, one chain per alternative. */
function templateChains(model: TemplateModel, owner: ResourceEntry, raw: unknown, path: string, seen: Set<ResourceEntry>): Source[][] {
  const out: Source[][] = [];
  const cannot = (why: string): Source[] => [{ unreadable: { model, logicalId: owner.logicalId, path, why } }];
  for (const v of model.resolve(raw)) {
    if (v.kind === 'absent') {
      out.push([]);
    } else if (v.kind === 'ref') {
      const entry = v.model.resources.get(v.logicalId);
      if (entry?.type !== CONFIGURATION_TEMPLATE) out.push(cannot(`its option ${NAMESPACE} ${OPTION} would come from ${v.logicalId}, a ${entry?.type ?? 'resource'}, not a configuration template`));
      else if (seen.has(entry)) out.push([]); // a cycle: those settings are already counted
      else out.push(...configurationTemplateChains(v.model, entry, new Set([...seen, entry])));
    } else if (v.kind === 'known' && typeof v.value !== 'string') {
      model.addProblem(owner.logicalId, path, `${path} of ${owner.logicalId} is ${describe(v.value)}, expected the name of a configuration template`);
      out.push(cannot(`${path} is ${describe(v.value)}, not the name of a configuration template`));
    } else {
      const name = v.kind === 'known' ? `the saved configuration "${v.value as string}"` : `a saved configuration named by ${v.why}`;
      out.push(cannot(`its option ${NAMESPACE} ${OPTION} comes from ${name}, which is not defined in the templates given`));
    }
  }
  return out;
}

/** A configuration template, then what it copies (its own settings override its source's). */
function configurationTemplateChains(model: TemplateModel, ct: ResourceEntry, seen: Set<ResourceEntry>): Source[][] {
  const own: Source = { resource: ct, model };
  const p = ct.properties;
  if (p.EnvironmentId !== undefined) {
    const why = `its option ${NAMESPACE} ${OPTION} comes from the running environment that ${ct.logicalId} copies (EnvironmentId), which synthesis cannot read`;
    return [[own, { unreadable: { model, logicalId: ct.logicalId, path: 'Properties/EnvironmentId', why } }]];
  }
  const source = isObject(p.SourceConfiguration) ? p.SourceConfiguration : undefined;
  if (!source) return [[own]];
  return templateChains(model, ct, source.TemplateName, 'Properties/SourceConfiguration/TemplateName', seen).map((rest) => [own, ...rest]);
}

const IMAGES: LaunchVariant['images'] = [{ support: 'not-known', description: 'an Elastic Beanstalk platform AMI' }];

/**
 * The variant of one chain: the layers up to the first resource that always sets the option. Settings
 * that cannot be read make the whole variant unreadable when nothing before them sets the option,
 * and "cannot verify" for the alternatives that reach them otherwise.
 */
function variantOf(launchModel: TemplateModel, r: ResourceEntry, chain: Source[], label: string | undefined): LaunchVariant {
  const layers: OptionLayer[] = [];
  const base = { label, supported: TOKENS_ONLY, images: IMAGES, instanceTypes: [], tags: [], tokensSwitch: SWITCH };
  for (const source of chain) {
    if ('unreadable' in source) {
      const u = source.unreadable;
      if (layers.length === 0) return { ...base, layers, optionsAt: loc(u.model, u.logicalId, u.path), unreadable: u.why };
      // Any literal raw value: the layer is always there, and always "cannot verify".
      const why = unknownValue(u.why);
      layers.push({ model: u.model, logicalId: u.logicalId, path: u.path, raw: u.path, supported: TOKENS_ONLY, translate: () => why });
      break;
    }
    const { model, resource } = source;
    const state = ownState(model, resource);
    if (state === 'never') continue;
    const translate = (list: unknown) => fromSettings(model, resource, list);
    const raw = resource.properties.OptionSettings;
    layers.push({ model, logicalId: resource.logicalId, path: OPTION_AT, raw, supported: TOKENS_ONLY, translate });
    if (state === 'always') break;
  }
  return { ...base, layers, optionsAt: loc(launchModel, r.logicalId, SETTINGS) };
}

function launch(x: LaunchReader, r: ResourceEntry, chains: Source[][]): Launch {
  const variants = chains.map((chain, i) => variantOf(x.model, r, chain, chains.length > 1 ? `configuration template alternative ${i + 1}` : undefined));
  return x.launch(r, variants, { subnets: [] }, { accountLayers: false, serviceDefault: SERVICE_DEFAULT });
}

export const ELASTIC_BEANSTALK_ENVIRONMENT: LaunchKind = {
  type: ENVIRONMENT,
  read(x, r) {
    const own: Source = { resource: r, model: x.model };
    return launch(x, r, templateChains(x.model, r, r.properties.TemplateName, 'Properties/TemplateName', new Set()).map((rest) => [own, ...rest]));
  },
};

/** The logical IDs of the configuration templates an environment or another template of this model uses. */
function usedTemplates(model: TemplateModel): Set<string> {
  const used = new Set<string>();
  const mark = (raw: unknown) => {
    for (const v of model.resolve(raw)) if (v.kind === 'ref') used.add(v.logicalId);
  };
  for (const env of model.resourcesOfType(ENVIRONMENT)) mark(env.properties.TemplateName);
  for (const ct of model.resourcesOfType(CONFIGURATION_TEMPLATE)) {
    const source = ct.properties.SourceConfiguration;
    if (isObject(source)) mark(source.TemplateName);
  }
  return used;
}

const USED = new WeakMap<TemplateModel, Set<string>>();

/**
 * A configuration template no environment of its template uses is checked as the environments
 * it describes (like a launch template on its own); one that is used is checked through them.
 */
export const ELASTIC_BEANSTALK_CONFIGURATION_TEMPLATE: LaunchKind = {
  type: CONFIGURATION_TEMPLATE,
  read(x, r) {
    let used = USED.get(x.model);
    if (used === undefined) USED.set(x.model, (used = usedTemplates(x.model)));
    if (used.has(r.logicalId)) return undefined;
    return launch(x, r, configurationTemplateChains(x.model, r, new Set([r])));
  },
};
