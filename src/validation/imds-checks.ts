import { Annotations, CfnElement, CfnOutput, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ImdsChecksOptions } from './imds-checks-options';
import { RESOURCE_TYPES_READ, runChecks } from '../checks/check';
import { TemplateSource } from '../checks/template-model';
import { ConstructContext } from '../private/construct-context';
import { ImdsConfigurationError } from '../private/errors';
import { writeReport } from '../private/write-report';


interface StageState {
  readonly stacks: Map<Stack, CfnElement[]>;
}

/**
 * Checks every EC2 launch in its scope against the cdk-imds rules (IMDS001-IMDS012).
 *
 * Read-only: it never changes the app. Add it with `AspectPriority.READONLY` so it sees the
 * result of mutating aspects such as `Tags.of` and `requireImdsv2`. It collects the CloudFormation
 * resources it visits and, once the tree is complete (validation phase), checks each stage's
 * stacks together: account defaults and policies in one stack count for launches in another.
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
      state = { stacks: new Map() };
      this.stages.set(stage, state);
      const s = state;
      // Checked once the whole tree is final: after every aspect, before templates are written.
      (stage ?? stack).node.addValidation({ validate: () => this.check(s, stage) });
    }
    let elements = state.stacks.get(stack);
    if (!elements) state.stacks.set(stack, (elements = []));
    elements.push(node);
  }

  private check(state: StageState, stage: Stage | undefined): string[] {
    const context = new ConstructContext();
    const sources: TemplateSource[] = [];
    for (const [stack, visited] of state.stacks) {
      // Cross-stack references become exports (CfnOutput) after the aspects ran, so these were
      // never visited: without them an Fn::ImportValue of another stack's subnet cannot be read.
      const elements = [...new Set([...visited, ...exportsOf(stack)])];
      const templatePath = stack.templateFile;
      const byLogicalId = new Map<string, IConstruct>();
      sources.push({ path: templatePath, template: templateOf(stack, elements, byLogicalId), region: regionOf(stack), stackName: stack.node.path });
      context.addElements(templatePath, byLogicalId);
    }
    const result = runChecks(sources, this.options, context, this.options.report ?? true);
    for (const f of result.findings) {
      const c = context.construct(f.templatePath, f.logicalId);
      if (!c) continue;
      if (f.level === 'error') Annotations.of(c).addError(f.message);
      else Annotations.of(c).addWarningV2(f.ruleId, f.message);
    }
    if (this.options.report ?? true) writeReport(stage?.outdir, result);
    return [];
  }
}

/** The outputs of a stack that export a value, including those added when references were resolved. */
function exportsOf(stack: Stack): CfnOutput[] {
  return stack.node.findAll().filter((c): c is CfnOutput => c instanceof CfnOutput && c.exportName !== undefined && Stack.of(c) === stack);
}

/** The CloudFormation of the elements the checks need, resolved once; records each resource's construct. */
function templateOf(stack: Stack, elements: CfnElement[], byLogicalId: Map<string, IConstruct>): object {
  const template: Record<string, Record<string, unknown>> = {};
  for (const el of elements) {
    const type = (el as { cfnResourceType?: string }).cfnResourceType;
    if (type !== undefined && !RESOURCE_TYPES_READ.has(type)) continue;
    const render = (el as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
    if (typeof render !== 'function') continue;
    let fragment: unknown;
    try {
      fragment = stack.resolve(render.call(el));
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

function regionOf(stack: Stack): string | undefined {
  const region = stack.region;
  return typeof region === 'string' && !region.includes('${Token[') ? region : undefined;
}
