import { Annotations, CfnElement, CfnOutput, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { ArtifactMetadataEntryType } from 'aws-cdk-lib/cloud-assembly-schema';
import { IConstruct } from 'constructs';
import { ImdsChecksOptions } from './imds-checks-options';
import { RESOURCE_TYPES_READ, runChecks } from '../checks/check';
import { TemplateSource } from '../checks/template-model';
import { ConstructContext, resourceTypeOf } from '../private/construct-context';
import { ImdsConfigurationError } from '../private/errors';
import { TemplateCapture } from '../private/template-capture';
import { writeReport } from '../private/write-report';


interface StageState {
  /** The elements the aspect visited, per stack. */
  readonly stacks: Map<Stack, Set<CfnElement>>;
  readonly capture: TemplateCapture;
}

/**
 * Checks every EC2 launch in its scope against the cdk-imds rules (IMDS001-IMDS012).
 *
 * Read-only: it never changes the app. Add it with `AspectPriority.READONLY` so it sees the
 * result of mutating aspects such as `Tags.of` and `requireImdsv2`. It collects the CloudFormation
 * resources it visits and checks each stage's stacks together (account defaults and policies in one
 * stack count for launches in another) when synthesis is about to write the first template: after
 * every validation, before any stack artifact is emitted. It renders the resources it checks as
 * synthesis does (escape-hatch overrides included), and synthesis writes that rendering rather
 * than rendering them again.
 * Each finding is an annotation on the construct of the resource a user must change, beginning
 * with its rule ID (`IMDS001: ...`): errors with `addError`, warnings with `addWarningV2` under
 * the rule ID. `Validations.of(scope).acknowledge({ id: 'IMDS001', reason })` on the resource or
 * an ancestor silences a rule there, errors included; a reason is required.
 *
 * Add it to each Stage (aspects do not cross Stage boundaries) or to a Stack.
 *
 * @example
 * const app = new App();
 * Aspects.of(app).add(new imds.ImdsChecks({ strict: true }), { priority: AspectPriority.READONLY });
 */
export class ImdsChecks implements IAspect {
  /** The rule IDs this aspect reports. */
  public static readonly RULE_IDS: string[] = ['IMDS001', 'IMDS002', 'IMDS003', 'IMDS004', 'IMDS005', 'IMDS006', 'IMDS007', 'IMDS008', 'IMDS009', 'IMDS010', 'IMDS011', 'IMDS012'];

  private readonly options: ImdsChecksOptions;
  private readonly stages = new Map<Stage | undefined, StageState>();

  constructor(options: ImdsChecksOptions = {}) {
    if (options.maxHopLimit !== undefined && (!Number.isInteger(options.maxHopLimit) || options.maxHopLimit < 1 || options.maxHopLimit > 64)) {
      throw new ImdsConfigurationError(`ImdsChecks maxHopLimit is ${options.maxHopLimit}: it must be a whole number from 1 to 64.`);
    }
    this.options = options;
  }

  public visit(node: IConstruct): void {
    if (!CfnElement.isCfnElement(node)) return;
    const stack = node.stack;
    const stage = Stage.of(stack);
    let state = this.stages.get(stage);
    if (!state) {
      const s: StageState = { stacks: new Map(), capture: new TemplateCapture() };
      this.stages.set(stage, (state = s));
      // Armed once the whole tree is final: after every aspect, before templates are written.
      (stage ?? stack).node.addValidation({ validate: () => this.arm(s, stage) });
    } else if (state.capture.armed) {
      // A new synthesis started after one that stopped before writing its templates.
      state.capture.disarm();
    }
    let elements = state.stacks.get(stack);
    if (!elements) state.stacks.set(stack, (elements = new Set()));
    elements.add(node);
  }

  private arm(state: StageState, stage: Stage | undefined): string[] {
    const unsupported = state.capture.arm(state.stacks.keys(), () => this.check(state, stage));
    for (const stack of unsupported) {
      const message = 'IMDS010: ImdsChecks cannot read the template of this stack: this version of aws-cdk-lib writes templates in a way cdk-imds does not know, so no launch in it is checked. Check the synthesized templates with ImdsValidationPlugin or `cdk-imds check`.';
      if (this.options.strict) Annotations.of(stack).addError(message);
      else Annotations.of(stack).addWarningV2('IMDS010', message);
    }
    return [];
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
      const template = this.templateOf(state.capture, visited, byLogicalId);
      sources.push({ path: templatePath, template, region: regionOf(stack), stackName: stack.node.path });
      context.addElements(templatePath, byLogicalId);
    }
    const result = runChecks(sources, this.options, context, this.options.report ?? true);
    for (const f of result.findings) {
      const c = context.construct(f.templatePath, f.logicalId);
      if (!c) continue;
      if (f.level === 'error') addError(c, f.message);
      else Annotations.of(c).addWarningV2(f.ruleId, f.message);
    }
    if (this.options.report ?? true) writeReport(stage?.outdir, result);
  }

  /** The CloudFormation of the elements the checks need, rendered once; records each resource's construct. */
  private templateOf(capture: TemplateCapture, elements: Iterable<CfnElement>, byLogicalId: Map<string, IConstruct>): object {
    const template: Record<string, Record<string, unknown>> = {};
    for (const el of elements) {
      const type = resourceTypeOf(el);
      if (type !== undefined && !RESOURCE_TYPES_READ.has(type)) continue;
      let fragment: unknown;
      try {
        fragment = capture.render(el);
      } catch {
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
 * `Annotations.of(c).addError(message)` without the call stack it records: that stack runs through
 * synthesis, cdk-imds and aws-cdk-lib, never through the app's code, and capturing it costs more
 * than the checks; the construct path already says where the finding is.
 */
function addError(c: IConstruct, message: string): void {
  if (c.node.metadata.some((m) => m.type === ArtifactMetadataEntryType.ERROR && m.data === message)) return;
  c.node.addMetadata(ArtifactMetadataEntryType.ERROR, message, { stackTrace: false });
}

/** The outputs of a stack that export a value, including those added when references were resolved. */
function exportsOf(stack: Stack): CfnOutput[] {
  return stack.node.findAll().filter((c): c is CfnOutput => c instanceof CfnOutput && c.exportName !== undefined && Stack.of(c) === stack);
}

function regionOf(stack: Stack): string | undefined {
  const region = stack.region;
  return typeof region === 'string' && !region.includes('${Token[') ? region : undefined;
}
