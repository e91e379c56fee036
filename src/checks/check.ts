/**
 * The engine: templates in, findings and the effective-options report out.
 *
 * Front-ends (the aspect, the validation plugin, the CLI) call `runChecks` and only adapt input
 * and output; every rule lives in `rules/`.
 */
import { AcknowledgementProblem, INVALID_ACKNOWLEDGEMENT, RULE_NAMESPACE, TemplateAcknowledgementIndex } from './acknowledgements';

/** The namespace of the rule IDs in a CDK validation report: the validation plugin's name. */
export { RULE_NAMESPACE };
import { ACCOUNT_DEFAULTS_TYPE, AppModel, IMAGE_IMDS_SUPPORT_TYPE } from './app-model';
import { EffectiveOptions, EffectiveValue, OptionSource, effectiveOptions } from './effective-options';
import { POLICY_TYPES } from './enforcement';
import { ImageFact, Launch, LaunchVariant, OPTION_NAMES, OptionName, forEachLaunch, launchResourceTypes } from './launches';
import { CheckOptions, Level, Rule, RuleContext } from './rule';
import { RULES } from './rules';
import { Location, TemplateProblem, TemplateSource } from './template-model';

/** An acknowledgement of a rule on a resource or one of its ancestors. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: string;
  /** Construct path where it was recorded (the logical ID for a template's `Metadata`). */
  readonly constructPath: string;
  /**
   * The key it was recorded under (`Annotation::IMDS001` or `cdk-imds::IMDS001`), or where it is
   * in a template (`Metadata/cdk-imds/acknowledge/0`).
   */
  readonly key: string;
}


/**
 * The keys an acknowledgement of a rule may be recorded under, in the order they are looked up:
 * `Validations.of(scope).acknowledge({ id: 'IMDS001', reason })` records `Annotation::IMDS001`,
 * `{ id: 'cdk-imds::IMDS001' }` records `cdk-imds::IMDS001`.
 */
export function acknowledgementKeys(ruleId: string): string[] {
  return [`Annotation::${ruleId}`, `${RULE_NAMESPACE}::${ruleId}`, ruleId];
}

/** Finds acknowledgements and construct paths for resources; front-ends provide it. */
export interface ResourceContext {
  /** The construct path of a resource, when known. */
  constructPath(templatePath: string, logicalId: string): string | undefined;
  /**
   * The closest acknowledgement of a rule on the resource or its ancestors.
   *
   * @param level the finding's level: some acknowledgements (`Annotations.acknowledgeWarning`) silence warnings only
   */
  acknowledgement(templatePath: string, logicalId: string, ruleId: string, level?: Level): Acknowledgement | undefined;
  /** Acknowledgements the context knows of that are not honoured (unknown rule ID, no reason). */
  acknowledgementProblems?(): readonly AcknowledgementProblem[];
}

/** A finding of the checks. */
export interface Finding {
  readonly ruleId: string;
  readonly level: Level;
  /** The message, beginning with the rule ID: `IMDS001: ...`. */
  readonly message: string;
  readonly templatePath: string;
  readonly stackName: string;
  /** The resource a user must change. */
  readonly logicalId: string;
  /** Property path inside that resource. */
  readonly propertyPath: string;
  readonly constructPath?: string;
  /** The launch it was found on. */
  readonly launchLogicalId: string;
  /** Set when an acknowledgement with a reason silences the finding. */
  readonly acknowledged?: Acknowledgement;
}

/** One effective option of a launch, for the report. */
export interface ReportValue {
  readonly option: OptionName;
  /** Possible values, e.g. `required`, or `unknown (parameter X)`. */
  readonly values: readonly string[];
  readonly sources: readonly OptionSource[];
}

/** Whether AWS documents that an AMI requires IMDSv2 (`launches/images.ts`). */
export type AmiVerdict = 'requires IMDSv2' | 'not known';

/** One AMI a launch may start, for the report. */
export interface AmiReport {
  /** The AMI as the checks name it, e.g. `an Amazon Linux 2023 AMI (ImdsSupport v2.0)` or `AMI ami-0123456789abcdef0`. */
  readonly ami: string;
  readonly verdict: AmiVerdict;
  /** The AWS page the verdict `requires IMDSv2` rests on. */
  readonly source?: string;
}

/** One row of the report: a launch. */
export interface LaunchReport {
  readonly templatePath: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly constructPath?: string;
  readonly values: readonly ReportValue[];
  /** The AMIs the launch may start (none when it names none), each once. */
  readonly amis: readonly AmiReport[];
  readonly findings: readonly Finding[];
}

/** Everything a check run produced. */
export interface CheckResult {
  /** Findings not acknowledged. */
  readonly findings: readonly Finding[];
  /** Findings silenced by an acknowledgement with a reason. */
  readonly acknowledged: readonly Finding[];
  /** One row per launch; empty when the run was asked not to collect them. */
  readonly launches: readonly LaunchReport[];
  /** How many launches were checked. */
  readonly launchCount: number;
  /** Properties of the wrong type and other shape problems of the templates. */
  readonly problems: ReadonlyArray<TemplateProblem & { readonly templatePath: string }>;
  /** Templates given without a Resources section. */
  readonly templatesWithoutResources: readonly string[];
}

/**
 * Every resource type the checks read. A front-end that builds templates from a construct tree may
 * leave out every other resource: the result is the same.
 */
export const RESOURCE_TYPES_READ: ReadonlySet<string> = new Set([
  ...launchResourceTypes(),
  'AWS::EC2::Subnet',
  'AWS::EC2::SubnetCidrBlock',
  ...POLICY_TYPES,
  ACCOUNT_DEFAULTS_TYPE,
  IMAGE_IMDS_SUPPORT_TYPE,
]);

/** Defaults of the check options. */
export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  strict: false,
  trustAccountDefaults: false,
  trustImageImdsSupport: true,
  assumePoliciesApply: true,
};

/**
 * Run the rules over every launch of the templates.
 *
 * @param rules the rules to run: every rule of the catalogue unless a front-end that checks only
 *              part of a launch (a construct at construction) asks for some of them
 */
export function runChecks(
  sources: readonly TemplateSource[],
  options: Partial<CheckOptions> = {},
  context?: ResourceContext,
  collectLaunches: boolean = true,
  rules: readonly Rule[] = RULES,
): CheckResult {
  const opts: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...definedOnly(options) };
  const app = new AppModel(sources);
  const findings: Finding[] = [];
  const acknowledged: Finding[] = [];
  const rows: LaunchReport[] = [];
  const seen = new SeenFindings();
  const entries = new ReportEntries();
  const templateAcks = new TemplateAcknowledgementIndex();
  let launchCount = 0;

  forEachLaunch(app, (launch) => {
    launchCount++;
    // Most launches have no finding: they share one empty list.
    let launchFindings: Finding[] = NO_LAUNCH_FINDINGS;
    const variants = launch.variants;
    const effectives: EffectiveOptions[] = new Array(variants.length);
    for (let vi = 0; vi < variants.length; vi++) {
      const variant = variants[vi];
      const effective = effectiveOptions(app, launch, variant, opts);
      effectives[vi] = effective;
      const ctx: RuleContext = { app, launch, variant, effective, options: opts };
      for (let ri = 0; ri < rules.length; ri++) {
        const rule = rules[ri];
        const found = rule.check(ctx);
        if (found.length === 0) continue;
        const level: Level = rule.id === 'IMDS010' && opts.strict ? 'error' : rule.level;
        for (let fi = 0; fi < found.length; fi++) {
          const f = found[fi];
          const finding = toFinding(rule.id, f.level ?? level, f.message, f.at, launch, context, templateAcks);
          if (!seen.add(finding)) continue;
          if (launchFindings === NO_LAUNCH_FINDINGS) launchFindings = [];
          launchFindings.push(finding);
          (finding.acknowledged ? acknowledged : findings).push(finding);
        }
      }
    }
    if (!collectLaunches) return;
    rows.push({
      templatePath: launch.model.path,
      stackName: launch.model.stackName,
      logicalId: launch.logicalId,
      type: launch.type,
      constructPath: context?.constructPath(launch.model.path, launch.logicalId),
      values: entries.values(effectives),
      amis: entries.amis(variants),
      findings: launchFindings,
    });
  });

  // Acknowledgements that are not honoured are warnings of their own, never ignored in silence.
  for (const p of [...templateAcks.problems(app.templates), ...(context?.acknowledgementProblems?.() ?? [])]) {
    const finding = problemFinding(p, app, context);
    if (seen.add(finding)) findings.push(finding);
  }

  const problems = app.templates.flatMap((t) => t.problems.map((p) => ({ ...p, templatePath: t.path })));
  return {
    findings,
    acknowledged,
    launches: rows,
    launchCount,
    problems,
    templatesWithoutResources: app.templates.filter((t) => !t.hasResources).map((t) => t.path),
  };
}

/** The findings of a launch without findings (never changed). */
const NO_LAUNCH_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];

/**
 * The findings of a run so far, to report each (rule, resource, message) once. Keyed by message
 * (which begins with the rule ID), then by template and resource, without building a key string
 * per finding.
 */
class SeenFindings {
  private readonly byMessage = new Map<string, Finding | Finding[]>();

  /** Add a finding; false when an equal one was added before. */
  public add(f: Finding): boolean {
    const prev = this.byMessage.get(f.message);
    if (prev === undefined) {
      this.byMessage.set(f.message, f);
      return true;
    }
    const list = Array.isArray(prev) ? prev : [prev];
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (p.ruleId === f.ruleId && p.templatePath === f.templatePath && p.logicalId === f.logicalId) return false;
    }
    list.push(f);
    if (list !== prev) this.byMessage.set(f.message, list);
    return true;
  }
}

function toFinding(
  ruleId: string,
  level: Level,
  message: string,
  at: Location,
  launch: Launch,
  context: ResourceContext | undefined,
  templateAcks: TemplateAcknowledgementIndex,
): Finding {
  const templatePath = at.model.path;
  // One flat string: a template literal would leave the message a tree of the rule's pieces, which
  // the result holds until output (most of a large run's memory).
  let text = [ruleId, ': ', message].join('');
  // Construct metadata (CDK) first, then the resource's template Metadata.
  const find = (l: Location | Launch) =>
    context?.acknowledgement(l.model.path, l.logicalId, ruleId, level) ?? templateAcks.acknowledgement(l.model, l.logicalId, ruleId);
  let ack: Acknowledgement | undefined = find(at);
  if (!ack && (at.model !== launch.model || at.logicalId !== launch.logicalId)) ack = find(launch);
  if (ack && ack.reason.trim() === '') {
    text += ` (the acknowledgement of ${ruleId} at ${ack.constructPath || '/'} gives no reason, so it is not honoured: give a reason)`;
    ack = undefined;
  }
  return {
    ruleId,
    level,
    message: text,
    templatePath,
    stackName: at.model.stackName,
    logicalId: at.logicalId,
    propertyPath: at.path,
    constructPath: context?.constructPath(templatePath, at.logicalId),
    launchLogicalId: launch.logicalId,
    acknowledged: ack,
  };
}

/** The warning about an acknowledgement that is not honoured, on the resource (or construct) that carries it. */
function problemFinding(p: AcknowledgementProblem, app: AppModel, context?: ResourceContext): Finding {
  const model = app.templates.find((t) => t.path === p.templatePath);
  return {
    ruleId: INVALID_ACKNOWLEDGEMENT,
    level: 'warning',
    message: p.message,
    templatePath: p.templatePath,
    stackName: model?.stackName ?? '',
    logicalId: p.logicalId,
    propertyPath: p.propertyPath,
    constructPath: p.constructPath ?? (p.logicalId ? context?.constructPath(p.templatePath, p.logicalId) : undefined),
    launchLogicalId: p.logicalId,
  };
}

/**
 * The report entries of a run, one per option, value and source: most launches report the same
 * few values (`required` set at launch, the AWS default hop limit), and a report of thousands of
 * launches then holds a few entries instead of five per launch.
 */
class ReportEntries {
  /** Per option (in `OPTION_NAMES` order): entries by value text, then by source. */
  private readonly byOption: Array<Map<string, Map<OptionSource, ReportValue>>> = OPTION_NAMES.map(() => new Map());
  /** Launches that share a launch template share its value objects: their entry, by value object. */
  private readonly byValue = new WeakMap<EffectiveValue, ReportValue>();
  /** AMI entries, by what they say; and the one-AMI list of each entry. */
  private readonly amiEntries = new Map<string, AmiReport>();
  private readonly oneAmi = new Map<AmiReport, readonly AmiReport[]>();

  /** The AMIs of a launch's variants, each once. */
  public amis(variants: readonly LaunchVariant[]): readonly AmiReport[] {
    let out: AmiReport[] | undefined;
    let first: AmiReport | undefined;
    for (let v = 0; v < variants.length; v++) {
      const images = variants[v].images;
      for (let i = 0; i < images.length; i++) {
        const entry = this.amiEntry(images[i]);
        if (first === undefined) {
          first = entry;
        } else if (entry !== first) {
          out ??= [first];
          if (!out.includes(entry)) out.push(entry);
        }
      }
    }
    if (out) return out;
    if (first === undefined) return NO_AMIS;
    let list = this.oneAmi.get(first);
    if (list === undefined) this.oneAmi.set(first, (list = [first]));
    return list;
  }

  private amiEntry(image: ImageFact): AmiReport {
    const key = `${image.support}\u0000${image.description}\u0000${image.source ?? ''}`;
    let entry = this.amiEntries.get(key);
    if (entry === undefined) {
      const verdict: AmiVerdict = image.support === 'v2' ? 'requires IMDSv2' : 'not known';
      entry = image.source !== undefined ? { ami: image.description, verdict, source: image.source } : { ami: image.description, verdict };
      this.amiEntries.set(key, entry);
    }
    return entry;
  }

  /** The entry of an option whose only value, in every variant, is `v`. */
  public single(index: number, v: EffectiveValue): ReportValue {
    const option = OPTION_NAMES[index];
    const cached = this.byValue.get(v);
    if (cached !== undefined && cached.option === option) return cached;
    const text = valueText(v);
    let bySource = this.byOption[index].get(text);
    if (bySource === undefined) this.byOption[index].set(text, (bySource = new Map()));
    let entry = bySource.get(v.source);
    if (entry === undefined) bySource.set(v.source, (entry = { option, values: [text], sources: [v.source] }));
    this.byValue.set(v, entry);
    return entry;
  }

  /** The row values of a launch. */
  public values(effectives: EffectiveOptions[]): ReportValue[] {
    // Of its final size: a list grown by push keeps room for more, in every row of the report.
    const out: ReportValue[] = new Array(OPTION_NAMES.length);
    for (let o = 0; o < OPTION_NAMES.length; o++) {
      const option = OPTION_NAMES[o];
      // One value object for every variant (often the value of a launch template the variants
      // share) is the common case.
      const v = onlyValue(effectives, option);
      if (v !== undefined) {
        out[o] = this.single(o, v);
        continue;
      }
      const values: string[] = [];
      const sources: OptionSource[] = [];
      for (let e = 0; e < effectives.length; e++) {
        const alternatives = effectives[e][option];
        for (let i = 0; i < alternatives.length; i++) {
          const alternative = alternatives[i];
          const text = valueText(alternative);
          if (!values.includes(text)) values.push(text);
          if (!sources.includes(alternative.source)) sources.push(alternative.source);
        }
      }
      out[o] = { option, values, sources };
    }
    return out;
  }
}

/** The AMIs of a launch that names none (never changed). */
const NO_AMIS: readonly AmiReport[] = Object.freeze([]);

/** The value object of an option when every variant has that one object as its only alternative. */
function onlyValue(effectives: EffectiveOptions[], option: OptionName): EffectiveValue | undefined {
  if (effectives.length === 0) return undefined;
  const first = effectives[0][option];
  if (first.length !== 1) return undefined;
  const v = first[0];
  for (let e = 1; e < effectives.length; e++) {
    const alternatives = effectives[e][option];
    if (alternatives.length !== 1 || alternatives[0] !== v) return undefined;
  }
  return v;
}

function valueText(v: EffectiveValue): string {
  return v.value !== undefined ? String(v.value) : `unknown (${v.unknown})`;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
