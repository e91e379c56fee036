import { Annotations, CfnElement, CfnOutput, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { ArtifactMetadataEntryType } from 'aws-cdk-lib/cloud-assembly-schema';
import { IConstruct } from 'constructs';
import { UnsupportedRenderingError, renderCloudFormation } from './cdk-internals';
import { ImdsChecksOptions } from './imds-checks-options';
import { INVALID_ACKNOWLEDGEMENT, acknowledgeHint } from '../checks/acknowledgements';
import { ACCOUNT_DEFAULTS_TYPE } from '../checks/app-model';
import { Finding, runChecks } from '../checks/check';
import { RULES } from '../checks/rules';
import { TemplateSource } from '../checks/template-model';
import { cdkWording } from '../private/cdk-fix';
import {
  ACKNOWLEDGED_RULES_METADATA_KEY,
  ACKNOWLEDGE_WARNING_REASON,
  ConstructContext,
  constructAcknowledgementProblems,
  findAcknowledgement,
  findWarningAcknowledgement,
  isReadByChecks,
  resourceTypeOf,
} from '../private/construct-context';
import { ImdsConfigurationError } from '../private/errors';
import { HOP_LIMIT_RANGE, isValidHopLimit } from '../private/hop-limit';
import { writeReport } from '../private/write-report';

interface StageState {
  /** The elements the aspect visited, per stack. */
  readonly stacks: Map<Stack, Set<CfnElement>>;
}

/**
 * Checks every EC2 launch in its scope against the cdk-imds rules (IMDS001-IMDS012).
 *
 * Read-only: it never changes the app. Add it with `AspectPriority.READONLY` so it sees the
 * result of mutating aspects such as `Tags.of` and `requireImdsv2`. It collects the CloudFormation
 * resources it visits and checks each stage's stacks together (account defaults and policies in one
 * stack count for launches in another) in a validation of the stage, once the tree is final (after
 * every aspect and after cross-stack references became exports). It renders the resources it checks
 * as synthesis does (escape-hatch overrides included), reading only: synthesis renders and writes
 * the templates on its own, unchanged.
 * Each finding is an annotation on the construct of the resource a user must change, beginning
 * with its rule ID (`IMDS001: ...`) and ending with how to acknowledge it: errors as error
 * metadata ending with `(Annotation::IMDS001)`, warnings with `addWarningV2` under the rule ID.
 * `Validations.of(scope).acknowledge({ id: 'IMDS001', reason })` on the resource or an ancestor
 * silences a rule there, errors included; a reason is required.
 * `Annotations.of(scope).acknowledgeWarning('IMDS011', reason)` silences warnings. An
 * acknowledgement with an unknown ID or without a reason is reported as a warning.
 *
 * Add it to each Stage (aspects do not cross Stage boundaries) or to a Stack.
 *
 * @example
 * const app = new App();
 * Aspects.of(app).add(new imds.ImdsChecks({ strict: true }), { priority: AspectPriority.READONLY });
 */
export class ImdsChecks implements IAspect {
  /** The rule IDs this aspect reports. */
  public static readonly RULE_IDS: string[] = RULES.map((r) => r.id);

  private readonly options: ImdsChecksOptions;
  private readonly stages = new Map<Stage | undefined, StageState>();

  constructor(options: ImdsChecksOptions = {}) {
    if (options.maxHopLimit !== undefined && !isValidHopLimit(options.maxHopLimit)) {
      throw new ImdsConfigurationError(`ImdsChecks maxHopLimit is ${options.maxHopLimit}: it must be ${HOP_LIMIT_RANGE}.`);
    }
    this.options = options;
  }

  /**
   * The options this aspect was made with (read by `Imdsv2Baseline` to tell whether yours already
   * does what its own checks would).
   *
   * @internal
   */
  public get _options(): ImdsChecksOptions {
    return this.options;
  }

  public visit(node: IConstruct): void {
    if (!CfnElement.isCfnElement(node)) return;
    const stack = node.stack;
    const stage = Stage.of(stack);
    let state = this.stages.get(stage);
    if (!state) {
      const s: StageState = { stacks: new Map() };
      this.stages.set(stage, (state = s));
      // Validations run once the whole tree is final: after every aspect, before templates are written.
      (stage ?? stack).node.addValidation({
        validate: () => {
          this.check(s, stage);
          return [];
        },
      });
    }
    let elements = state.stacks.get(stack);
    if (!elements) state.stacks.set(stack, (elements = new Set()));
    elements.add(node);
  }

  private check(state: StageState, stage: Stage | undefined): void {
    const context = new ConstructContext();
    const sources: TemplateSource[] = [];
    for (const [stack, visited] of state.stacks) {
      // Cross-stack references become exports (CfnOutput) after the aspects ran, so these were
      // never visited: without them an Fn::ImportValue of another stack's subnet cannot be read.
      for (const output of exportsOf(stack)) visited.add(output);
      const templatePath = stack.templateFile;
      const byLogicalId = new Map<string, IConstruct>();
      let template: object;
      try {
        template = this.templateOf(visited, byLogicalId);
      } catch (e) {
        if (!(e instanceof UnsupportedRenderingError)) throw e;
        this.reportUnreadable(stack);
        continue;
      }
      sources.push({ path: templatePath, template, region: regionOf(stack), stackName: stack.node.path });
      context.addElements(templatePath, byLogicalId);
    }
    context.setAcknowledgementProblems(constructAcknowledgementProblems(scopeConstructs(state.stacks.keys()), (stack) => stack.templateFile));
    const result = runChecks(sources, this.options, context, this.options.report ?? true);
    const hints = new ScopeHints(stage, state.stacks);
    for (const f of result.findings) {
      const c = f.ruleId === INVALID_ACKNOWLEDGEMENT ? context.problemConstruct(f.message) : context.construct(f.templatePath, f.logicalId);
      if (!c) continue;
      const text = annotationText(f, hints, c);
      if (f.level === 'error') addError(c, f.ruleId, text);
      else addWarning(c, f.ruleId, text);
    }
    for (const f of result.acknowledged) recordWarningAcknowledgement(context.construct(f.templatePath, f.logicalId), f);
    if (this.options.report ?? true) writeReport(stage?.outdir, result, 'aspect');
  }

  /** A stack whose elements this aws-cdk-lib renders in a way the checks do not know. */
  private reportUnreadable(stack: Stack): void {
    const level = this.options.strict ? 'error' : 'warning';
    if (findAcknowledgement(stack, 'IMDS010') || (level === 'warning' && findWarningAcknowledgement(stack, 'IMDS010'))) return;
    const message =
      'IMDS010: ImdsChecks cannot read the template of this stack: this version of aws-cdk-lib renders templates in a way cdk-imds does not know, so no launch in it is checked. ' +
      `Check the synthesized templates with ImdsValidationPlugin or \`cdk-imds check\`. ${acknowledgeHint('IMDS010', level, 'cdk')}`;
    if (level === 'error') addError(stack, 'IMDS010', message);
    else addWarning(stack, 'IMDS010', message);
  }

  /** The CloudFormation of the elements the checks need; records each resource's construct. */
  private templateOf(elements: Iterable<CfnElement>, byLogicalId: Map<string, IConstruct>): object {
    const template: Record<string, Record<string, unknown>> = {};
    for (const el of elements) {
      if (!isReadByChecks(el)) continue;
      let fragment: unknown;
      try {
        fragment = renderCloudFormation(el);
      } catch (e) {
        if (e instanceof UnsupportedRenderingError) throw e;
        continue; // synthesis reports what cannot be rendered; the checks see the rest
      }
      if (typeof fragment !== 'object' || fragment === null) continue;
      for (const [section, body] of Object.entries(fragment as Record<string, unknown>)) {
        if (typeof body !== 'object' || body === null) continue;
        Object.assign((template[section] ??= {}), body);
        if (section === 'Resources') for (const id of Object.keys(body)) byLogicalId.set(id, el);
      }
    }
    if (!template.Resources) template.Resources = {};
    return template;
  }
}

/**
 * The text of a finding's annotation: the one place where a finding's message becomes what the
 * user reads on the construct. The engine's message with the fix in the props of the construct
 * that made the resource (where it has them), then what the scope of this aspect hides from it,
 * then how to acknowledge it.
 */
function annotationText(f: Finding, hints: ScopeHints, c: IConstruct): string {
  if (f.ruleId === INVALID_ACKNOWLEDGEMENT) return f.message;
  const scope = hints.forFinding(f);
  return `${cdkWording(f, c)}${scope ? ` ${scope}` : ''} ${acknowledgeHint(f.ruleId, f.level, 'cdk')}`;
}

/**
 * `Annotations.of(c).addError(message)` without the call stack it records: that stack runs through
 * synthesis, cdk-imds and aws-cdk-lib, never through the app's code, and capturing it costs more
 * than the checks; the construct path already says where the finding is.
 *
 * The message ends with the rule ID as `(Annotation::IMDS001)`, as `Validations.of(c).addError(id,
 * message)` writes it, so that the CDK validation report names the rule (not
 * `Annotation::error-annotation`).
 */
function addError(c: IConstruct, ruleId: string, text: string): void {
  const message = `${text} (Annotation::${ruleId})`;
  if (hasMessage(c, ArtifactMetadataEntryType.ERROR, message)) return;
  c.node.addMetadata(ArtifactMetadataEntryType.ERROR, message, { stackTrace: false });
}

/** A warning under the rule ID (`[ack: IMDS011]`), unless the construct has it already; aws-cdk-lib skips it when acknowledged. */
function addWarning(c: IConstruct, ruleId: string, text: string): void {
  if (!hasMessage(c, ArtifactMetadataEntryType.WARN, text)) Annotations.of(c).addWarningV2(ruleId, text);
}

/**
 * A warning acknowledged with `Annotations.of(x).acknowledgeWarning(...)` leaves no trace in the
 * cloud assembly: record it as aws-cdk-lib records `Validations.of(x).acknowledge(...)`, where it
 * was acknowledged, so that `cdk-imds check cdk.out` (and SARIF) list it as acknowledged too.
 */
function recordWarningAcknowledgement(c: IConstruct | undefined, f: Finding): void {
  const ack = f.acknowledged;
  if (!c || !ack || ack.reason !== ACKNOWLEDGE_WARNING_REASON) return;
  const at = c.node.scopes.find((s) => s.node.path === ack.constructPath) ?? c;
  const key = ack.key.includes('::') ? ack.key : `Annotation::${ack.key}`;
  const recorded = at.node.metadata.some((m) => m.type === ACKNOWLEDGED_RULES_METADATA_KEY && isRecord(m.data) && m.data[key] !== undefined);
  if (!recorded) at.node.addMetadata(ACKNOWLEDGED_RULES_METADATA_KEY, { [key]: ACKNOWLEDGE_WARNING_REASON }, { stackTrace: false });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** The constructs whose acknowledgements count for the stacks an aspect checks: the stacks, what is in them, and their ancestors. */
function scopeConstructs(stacks: Iterable<Stack>): IConstruct[] {
  const seen = new Set<IConstruct>();
  for (const stack of stacks) {
    for (const scope of stack.node.scopes) seen.add(scope);
    for (const c of stack.node.findAll()) seen.add(c);
  }
  return [...seen];
}

/**
 * What an aspect on part of a stage cannot see: account defaults (`InstanceMetadataDefaults`) in
 * other stacks of the stage. For the rules account defaults change (IMDS001-IMDS003), say so.
 */
class ScopeHints {
  private outside?: string[];

  constructor(private readonly stage: Stage | undefined, private readonly stacks: ReadonlyMap<Stack, unknown>) {}

  public forFinding(f: Finding): string | undefined {
    if (f.ruleId !== 'IMDS001' && f.ruleId !== 'IMDS002' && f.ruleId !== 'IMDS003') return undefined;
    const outside = this.outsideDefaults();
    if (outside.length === 0) return undefined;
    const where = this.stage && this.stage.node.path ? `the Stage ${this.stage.node.path}` : 'the App';
    return (
      `An InstanceMetadataDefaults in ${outside.length === 1 ? 'stack' : 'stacks'} ${outside.join(', ')} is outside the scope of this ImdsChecks: ` +
      `add ImdsChecks to ${where} (with trustAccountDefaults: true) to count it.`
    );
  }

  /** The stacks of the stage, outside this aspect's scope, that set account defaults (found once). */
  private outsideDefaults(): string[] {
    if (this.outside) return this.outside;
    const root = this.stage ?? [...this.stacks.keys()][0]?.node.root;
    const found = new Set<string>();
    if (root && this.stacks.size > 0) {
      for (const c of root.node.findAll()) {
        if (!CfnElement.isCfnElement(c) || resourceTypeOf(c) !== ACCOUNT_DEFAULTS_TYPE) continue;
        if (this.stacks.has(c.stack) || Stage.of(c.stack) !== this.stage) continue;
        found.add(c.stack.node.path);
      }
    }
    return (this.outside = [...found]);
  }
}

/** Whether a construct already has the message (a second synthesis of the same tree checks it again). */
function hasMessage(c: IConstruct, type: string, message: string): boolean {
  // Warnings carry aws-cdk-lib's ` [ack: ID]` after the text; errors are stored as written.
  return c.node.metadata.some((m) => m.type === type && typeof m.data === 'string' && m.data.startsWith(message));
}

/** The outputs of a stack that export a value, including those added when references were resolved. */
function exportsOf(stack: Stack): CfnOutput[] {
  return stack.node.findAll().filter((c): c is CfnOutput => c instanceof CfnOutput && c.exportName !== undefined && Stack.of(c) === stack);
}

function regionOf(stack: Stack): string | undefined {
  const region = stack.region;
  return typeof region === 'string' && !region.includes('${Token[') ? region : undefined;
}
