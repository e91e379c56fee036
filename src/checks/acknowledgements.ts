/**
 * The acknowledgement model every front-end shares.
 *
 * A finding is acknowledged (suppressed, as a cdk-nag suppression is, errors included) by:
 * - `Validations.of(construct).acknowledge({ id: 'IMDS001', reason })` on the resource's construct
 *   or an ancestor; aws-cdk-lib records it as construct metadata (`aws:cdk:acknowledged-rules`,
 *   key `Annotation::IMDS001`, or `cdk-imds::IMDS001` for the plugin-qualified form), which the
 *   front-ends read from the tree and the CLI from the cloud assembly;
 * - in any template, the resource's `Metadata`:
 *   `{"cdk-imds": {"acknowledge": [{"id": "IMDS001", "reason": "..."}]}}`, read here, in the
 *   spirit of cfn-lint's `Metadata: cfn-lint: config: ignore_checks`;
 * - for warnings only, `Annotations.of(construct).acknowledgeWarning('IMDS011', reason)` (both
 *   `IMDS011` and `Annotation::IMDS011` work), as aws-cdk-lib does for warnings.
 *
 * An acknowledgement that names no rule of cdk-imds (`IMDS01`, `cdk-imds:IMDS001`) or gives no
 * reason is not honoured, and is itself reported as a warning (`cdk-imds:invalidAcknowledgement`).
 *
 * No imports from the engine (`check.ts` imports this file).
 */
import { RULES } from './rules';
import { isObject } from './template-json';
import { TemplateModel } from './template-model';

/** The `Metadata` key of a resource that holds its cdk-imds acknowledgements. */
export const TEMPLATE_METADATA_KEY = 'cdk-imds';

/** The ID of the warning about an acknowledgement that is not honoured. */
/** The namespace of cdk-imds's rule IDs in acknowledgements and reports (`cdk-imds::IMDS001`). */
export const RULE_NAMESPACE = 'cdk-imds';

export const INVALID_ACKNOWLEDGEMENT = 'cdk-imds:invalidAcknowledgement';

/** The namespaces a rule ID may carry in an acknowledgement: aws-cdk-lib's for annotations, and the plugin's. */
const NAMESPACES = ['Annotation', 'cdk-imds'];

/**
 * The IDs of this library's warnings that are not rules (construct warnings): acknowledging one
 * of them with `Annotations.of(x).acknowledgeWarning(id)` is valid.
 */
export const OTHER_WARNING_IDS: readonly string[] = [
  'cdk-imds:baselineChecksAlreadyAdded',
  'cdk-imds:defaultsEnforcedWithoutRequired',
  'cdk-imds:policy-size-unverified',
  'cdk-imds:ImdsLaunchTemplate.hopLimitUnresolved',
  'cdk-imds:ImdsLaunchTemplate.httpTokensOptional',
  'cdk-imds:ImdsLaunchTemplate.instanceTypeUnresolved',
  'cdk-imds:ImdsLaunchTemplate.tagKeyUnresolved',
  INVALID_ACKNOWLEDGEMENT,
];

const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

/** "IMDS001, IMDS002, ..., IMDS012", for messages. */
export function knownRuleIds(): string {
  return RULES.map((r) => r.id).join(', ');
}

/** The rule an acknowledged ID names (`IMDS001`, `Annotation::IMDS001`, `cdk-imds::IMDS001`), or undefined. */
export function ruleIdOf(id: string): string | undefined {
  const { namespace, name } = splitId(id);
  if (namespace !== undefined && !NAMESPACES.includes(namespace)) return undefined;
  return RULE_IDS.has(name) ? name : undefined;
}

/**
 * Why an acknowledged ID is wrong, when it is meant for cdk-imds (the plugin's namespace, or a
 * name like `IMDS01` or `cdk-imds:...`) but names none of its rules or warnings; undefined for a valid ID and
 * for IDs of other tools (`CloudFormation-Validate::W3010`, another library's warning).
 */
export function acknowledgementIdProblem(id: string): string | undefined {
  const { namespace, name } = splitId(id);
  if (namespace !== undefined && !NAMESPACES.includes(namespace)) return undefined;
  if (RULE_IDS.has(name) || OTHER_WARNING_IDS.includes(name)) return undefined;
  if (namespace !== 'cdk-imds' && !MEANT_FOR_US.test(name)) return undefined;
  const meant = RULES.find((r) => name.toUpperCase().endsWith(r.id));
  const hint = meant ? ` Did you mean '${meant.id}'?` : '';
  return `'${name}' is not a cdk-imds rule ID.${hint} Known IDs: ${knownRuleIds()}.`;
}

/**
 * What is wrong with one acknowledgement recorded by `Validations.of(x).acknowledge` (construct
 * metadata `aws:cdk:acknowledged-rules`, in the tree or in a cloud assembly): an ID that names no
 * rule, or a rule of cdk-imds without a reason. Undefined when it is honoured or is another tool's.
 *
 * @param where how to name it: `the acknowledgement 'IMDS01' on Web/Server (Validations.of(...).acknowledge)`
 */
export function recordedAcknowledgementProblem(key: string, reason: unknown, where: string): string | undefined {
  const problem = acknowledgementIdProblem(key);
  if (problem) return `${where} is not honoured: ${problem}`;
  if (isOurs(key) && (typeof reason !== 'string' || reason.trim() === '')) return `${where} gives no reason, so it is not honoured: give a reason.`;
  return undefined;
}

/** Whether a valid acknowledged ID is one of cdk-imds (a rule, or this library's warning). */
function isOurs(key: string): boolean {
  const name = key.includes('::') ? key.slice(key.indexOf('::') + 2) : key;
  return key.startsWith(`${RULE_NAMESPACE}::`) || /^IMDS\d{3}$/.test(name) || name.startsWith(`${RULE_NAMESPACE}:`);
}

/** A name that is meant as a cdk-imds ID: `IMDS01`, `imds001`, `IMDS-001`, `cdk-imds:IMDS001`. */
const MEANT_FOR_US = /^(imds[-_ ]?\d+|cdk-imds\b.*)$/i;

function splitId(id: string): { namespace?: string; name: string } {
  const i = id.indexOf('::');
  return i < 0 ? { name: id } : { namespace: id.slice(0, i), name: id.slice(i + 2) };
}

/** Where a front-end says how to acknowledge: CDK code, or a template's `Metadata`. */
export type AcknowledgeForm = 'cdk' | 'template';

/** One short sentence that says how to acknowledge a finding of a rule. */
export function acknowledgeHint(ruleId: string, level: 'error' | 'warning', form: AcknowledgeForm): string {
  if (form === 'template') {
    return `To accept it, add to the resource's Metadata {"${TEMPLATE_METADATA_KEY}": {"acknowledge": [{"id": "${ruleId}", "reason": "..."}]}}.`;
  }
  const validations = `Validations.of(construct).acknowledge({ id: '${ruleId}', reason })`;
  return level === 'error'
    ? `To accept it, call ${validations}.`
    : `To accept it, call ${validations} or Annotations.of(construct).acknowledgeWarning('${ruleId}', reason).`;
}

/** An acknowledgement in a template, for one rule. */
export interface TemplateAcknowledgement {
  readonly ruleId: string;
  /** Empty when the entry gives none (then it is not honoured). */
  readonly reason: string;
  /** The resource's logical ID. */
  readonly constructPath: string;
  /** Where it is: `Metadata/cdk-imds/acknowledge/0`. */
  readonly key: string;
}

/** An acknowledgement that is not honoured (unknown ID, no reason, wrong shape). */
export interface AcknowledgementProblem {
  readonly templatePath: string;
  /** The resource that carries it; empty for a construct that is not a resource (a Stack, the App). */
  readonly logicalId: string;
  /** Where in the resource (`Metadata/cdk-imds/acknowledge/0`); empty for construct metadata. */
  readonly propertyPath: string;
  readonly constructPath?: string;
  /** The message, beginning with `cdk-imds:invalidAcknowledgement: `. */
  readonly message: string;
}

/** What the `Metadata` of one resource acknowledges, and what is wrong with it. */
export interface ResourceAcknowledgements {
  readonly byRule: ReadonlyMap<string, TemplateAcknowledgement>;
  readonly problems: readonly AcknowledgementProblem[];
}

const NONE: ResourceAcknowledgements = { byRule: new Map(), problems: [] };

/**
 * Read `Metadata['cdk-imds'].acknowledge` of a resource (its raw template entry). Only literal
 * values count: an intrinsic function there cannot be read, and is reported.
 *
 * @param describe the resource for messages, e.g. `AWS::EC2::Instance Server`
 */
export function readTemplateAcknowledgements(
  templatePath: string,
  logicalId: string,
  raw: Record<string, unknown>,
  describe: string,
): ResourceAcknowledgements {
  const metadata = raw.Metadata;
  if (!isObject(metadata) || metadata[TEMPLATE_METADATA_KEY] === undefined) return NONE;
  const byRule = new Map<string, TemplateAcknowledgement>();
  const problems: AcknowledgementProblem[] = [];
  const base = `Metadata/${TEMPLATE_METADATA_KEY}`;
  const problem = (propertyPath: string, what: string) =>
    problems.push({ templatePath, logicalId, propertyPath, message: `${INVALID_ACKNOWLEDGEMENT}: ${describe} ${propertyPath}: ${what}` });
  const shape = 'it must be {"acknowledge": [{"id": "IMDS001", "reason": "..."}]}';
  const section = metadata[TEMPLATE_METADATA_KEY];
  if (!isObject(section)) {
    problem(base, `${kind(section)} is not honoured: ${shape}.`);
    return { byRule, problems };
  }
  for (const key of Object.keys(section)) {
    if (key !== 'acknowledge') problem(`${base}/${key}`, `'${key}' is not honoured: ${shape}.`);
  }
  const list = section.acknowledge;
  if (list === undefined) return { byRule, problems };
  if (!Array.isArray(list)) {
    problem(`${base}/acknowledge`, `${kind(list)} is not honoured: ${shape}.`);
    return { byRule, problems };
  }
  list.forEach((entry, i) => {
    const at = `${base}/acknowledge/${i}`;
    if (!isObject(entry)) {
      problem(at, `${kind(entry)} is not honoured: each acknowledgement must be {"id": "IMDS001", "reason": "..."}.`);
      return;
    }
    const id = entry.id;
    if (typeof id !== 'string') {
      problem(`${at}/id`, `the ID is ${kind(id)}, so the acknowledgement is not honoured: it must be a rule ID, one of ${knownRuleIds()}.`);
      return;
    }
    const ruleId = ruleIdOf(id);
    if (!ruleId) {
      const meant = RULES.find((r) => id.toUpperCase().endsWith(r.id));
      problem(`${at}/id`, `the acknowledgement '${id}' is not honoured: it is not a cdk-imds rule ID.${meant ? ` Did you mean '${meant.id}'?` : ''} Known IDs: ${knownRuleIds()}.`);
      return;
    }
    const reason = typeof entry.reason === 'string' ? entry.reason : '';
    if (reason.trim() === '') problem(`${at}/reason`, `the acknowledgement of ${ruleId} gives no reason, so it is not honoured: give a reason.`);
    for (const key of Object.keys(entry)) {
      if (key !== 'id' && key !== 'reason') problem(`${at}/${key}`, `'${key}' is not honoured: an acknowledgement has only "id" and "reason".`);
    }
    if (!byRule.has(ruleId)) byRule.set(ruleId, { ruleId, reason, constructPath: logicalId, key: at });
  });
  return { byRule, problems };
}

/** The template acknowledgements of a run's templates, read once per resource when first asked. */
export class TemplateAcknowledgementIndex {
  private readonly byModel = new Map<TemplateModel, Map<string, ResourceAcknowledgements>>();

  /** What a resource's `Metadata` acknowledges. */
  public of(model: TemplateModel, logicalId: string): ResourceAcknowledgements {
    let byId = this.byModel.get(model);
    if (!byId) this.byModel.set(model, (byId = new Map()));
    let found = byId.get(logicalId);
    if (!found) {
      const entry = model.resources.get(logicalId);
      found = entry ? readTemplateAcknowledgements(model.path, logicalId, entry.raw, `${entry.type} ${logicalId}`) : NONE;
      byId.set(logicalId, found);
    }
    return found;
  }

  /** The acknowledgement of a rule in a resource's `Metadata`. */
  public acknowledgement(model: TemplateModel, logicalId: string, ruleId: string): TemplateAcknowledgement | undefined {
    return this.of(model, logicalId).byRule.get(ruleId);
  }

  /** Every acknowledgement of the templates that is not honoured, in template and resource order. */
  public problems(models: readonly TemplateModel[]): AcknowledgementProblem[] {
    const out: AcknowledgementProblem[] = [];
    for (const model of models) {
      for (const [logicalId, entry] of model.resources) {
        if (!isObject(entry.raw.Metadata) || entry.raw.Metadata[TEMPLATE_METADATA_KEY] === undefined) continue;
        out.push(...this.of(model, logicalId).problems);
      }
    }
    return out;
  }
}

function kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (isObject(x)) return Object.keys(x).some((k) => k === 'Ref' || k.startsWith('Fn::')) ? 'an intrinsic function (only literal values are read)' : 'an object';
  return typeof x === 'string' ? `the string ${JSON.stringify(x)}` : `${typeof x} ${JSON.stringify(x)}`;
}
