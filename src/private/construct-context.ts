import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AcknowledgementProblem, INVALID_ACKNOWLEDGEMENT, acknowledgementIdProblem, recordedAcknowledgementProblem } from '../checks/acknowledgements';
import { Acknowledgement, RESOURCE_TYPES_READ, RULE_NAMESPACE, ResourceContext, acknowledgementKeys } from '../checks/check';
import { Level } from '../checks/rule';
import { isObject } from '../checks/template-json';
import { AcknowledgedWarnings, acknowledgedWarnings } from '../validation/cdk-internals';

/** The metadata key aws-cdk-lib records `Validations.of(scope).acknowledge(...)` under. */
export const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/** The name of the validation plugin, which is also the namespace of its rule IDs. */
export const PLUGIN_NAME = RULE_NAMESPACE;

/**
 * The acknowledgement of a rule closest to a construct: on it or on an ancestor.
 *
 * `Validations.of(scope).acknowledge({ id: 'IMDS001', reason })` records `Annotation::IMDS001`;
 * `{ id: 'cdk-imds::IMDS001' }` records `cdk-imds::IMDS001`. Both count.
 */
export function findAcknowledgement(construct: IConstruct, ruleId: string): Acknowledgement | undefined {
  const keys = acknowledgementKeys(ruleId);
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    for (const entry of scope.node.metadata) {
      if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const key of keys) {
        const reason = (entry.data as Record<string, unknown>)[key];
        if (reason !== undefined) return { ruleId, reason: typeof reason === 'string' ? reason : '', constructPath: scope.node.path, key };
      }
    }
  }
  return undefined;
}

/**
 * The reason listed for a warning acknowledged with `Annotations.of(x).acknowledgeWarning(id)`:
 * aws-cdk-lib keeps no reason for those.
 */
export const ACKNOWLEDGE_WARNING_REASON = 'acknowledged with Annotations.acknowledgeWarning, which records no reason';

/**
 * A warning of a rule acknowledged with `Annotations.of(scope).acknowledgeWarning(...)` on the
 * construct or an ancestor, under any of its forms (`IMDS011`, `Annotation::IMDS011`,
 * `cdk-imds::IMDS011`); `Validations.of(scope).acknowledge(...)` registers there too, but is
 * found first, with its reason, in the construct metadata.
 */
export function findWarningAcknowledgement(construct: IConstruct, ruleId: string): Acknowledgement | undefined {
  const registry = acknowledgedWarnings(construct);
  if (!registry) return undefined;
  for (const key of acknowledgementKeys(ruleId)) {
    if (!registry.has(construct, key)) continue;
    const scopes = construct.node.scopes;
    let at = construct.node.path;
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (registry.idsAt(scopes[i].node.path).includes(key)) {
        at = scopes[i].node.path;
        break;
      }
    }
    return { ruleId, reason: ACKNOWLEDGE_WARNING_REASON, constructPath: at, key };
  }
  return undefined;
}

/** An acknowledgement that is not honoured, with the construct it was made on. */
export interface ConstructAcknowledgementProblem extends AcknowledgementProblem {
  readonly construct: IConstruct;
}

/**
 * The acknowledgements made on some constructs that are meant for cdk-imds but are not honoured:
 * an ID that names no rule (`IMDS01`, `cdk-imds:IMDS001`), or, for a rule, no reason.
 *
 * @param templatePathOf the template path the front-end gives a stack's template
 */
export function constructAcknowledgementProblems(
  constructs: Iterable<IConstruct>,
  templatePathOf: (stack: Stack) => string | undefined,
): ConstructAcknowledgementProblem[] {
  const out: ConstructAcknowledgementProblem[] = [];
  let registry: AcknowledgedWarnings | undefined | null = null;
  for (const c of constructs) {
    if (registry === null) registry = acknowledgedWarnings(c);
    const recorded = new Set<string>();
    const add = (what: string) => {
      const stack = Stack.isStack(c) ? c : findStack(c);
      const logicalId = CfnElement.isCfnElement(c) ? c.stack.resolve(c.logicalId) : undefined;
      out.push({
        construct: c,
        templatePath: (stack && templatePathOf(stack)) ?? '',
        logicalId: typeof logicalId === 'string' ? logicalId : '',
        propertyPath: '',
        constructPath: c.node.path || '/',
        message: `${INVALID_ACKNOWLEDGEMENT}: ${what}`,
      });
    };
    for (const entry of c.node.metadata) {
      if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || !isObject(entry.data)) continue;
      for (const [key, reason] of Object.entries(entry.data)) {
        recorded.add(key);
        const shown = key.startsWith('Annotation::') ? key.slice('Annotation::'.length) : key;
        const problem = recordedAcknowledgementProblem(key, reason, `the acknowledgement '${shown}' on ${c.node.path || 'the App'} (Validations.of(...).acknowledge)`);
        if (problem) add(problem);
      }
    }
    if (!registry) continue;
    for (const id of registry.idsAt(c.node.path)) {
      // Validations.of(...).acknowledge registers its IDs here too: reported above, once.
      if (recorded.has(id) || recorded.has(`Annotation::${id}`) || recorded.has(id.replace(/^Annotation::/, ''))) continue;
      const problem = acknowledgementIdProblem(id);
      if (problem) add(`the acknowledgement '${id}' on ${c.node.path || 'the App'} (Annotations.of(...).acknowledgeWarning) is not honoured: ${problem}`);
    }
  }
  return out;
}

function findStack(c: IConstruct): Stack | undefined {
  const scopes = c.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) if (Stack.isStack(scopes[i])) return scopes[i] as Stack;
  return undefined;
}

/** The metadata key aws-cdk-lib writes each resource's construct path under (path metadata). */
const PATH_METADATA_KEY = 'aws:cdk:path';

interface TemplateEntry {
  readonly resources: Record<string, unknown>;
  readonly stackOf: () => Stack | undefined;
  /** Constructs found so far, by logical ID (null: none). */
  readonly found: Map<string, IConstruct | null>;
  /** The construct paths of those found through path metadata (the path they were found at). */
  readonly paths: Map<string, string>;
  /** Every CfnElement of the stack by logical ID, built only when path metadata does not lead to one. */
  byLogicalId?: Map<string, IConstruct>;
}

/**
 * Construct paths and acknowledgements for resources of templates, from the construct tree.
 *
 * A resource's construct is found from the template's path metadata (`aws:cdk:path`, which the
 * CDK CLI asks for by default) by walking the tree from the root, a few lookups per resource.
 * Without it (or when it does not name an element of that stack and type), the logical IDs of
 * all elements of the stack are resolved once, which costs far more on large stacks.
 */
export class ConstructContext implements ResourceContext {
  private readonly byTemplate = new Map<string, TemplateEntry>();
  private problems: readonly ConstructAcknowledgementProblem[] = [];
  private readonly problemConstructs = new Map<string, IConstruct>();

  /** Acknowledgements on the constructs in scope that are not honoured (reported as warnings). */
  public setAcknowledgementProblems(problems: readonly ConstructAcknowledgementProblem[]): void {
    this.problems = problems;
    for (const p of problems) this.problemConstructs.set(p.message, p.construct);
  }

  public acknowledgementProblems(): readonly AcknowledgementProblem[] {
    return this.problems;
  }

  /** The construct an acknowledgement problem (by its message) was made on. */
  public problemConstruct(message: string): IConstruct | undefined {
    return this.problemConstructs.get(message);
  }

  /**
   * Register a template: its parsed content and how to find the stack it was synthesized from
   * (called only when a construct is looked up).
   */
  public addTemplate(templatePath: string, template: unknown, stackOf: () => Stack | undefined): void {
    const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
    this.byTemplate.set(templatePath, { resources, stackOf, found: new Map(), paths: new Map() });
  }

  /** Register the constructs of a template's resources, by logical ID. */
  public addElements(templatePath: string, byLogicalId: Map<string, IConstruct>): void {
    this.byTemplate.set(templatePath, { resources: {}, stackOf: () => undefined, found: new Map(), paths: new Map(), byLogicalId });
  }

  public construct(templatePath: string, logicalId: string): IConstruct | undefined {
    const entry = this.byTemplate.get(templatePath);
    if (!entry) return undefined;
    const known = entry.found.get(logicalId);
    if (known !== undefined) return known ?? undefined;
    const c = this.lookup(entry, logicalId);
    entry.found.set(logicalId, c ?? null);
    return c;
  }

  public constructPath(templatePath: string, logicalId: string): string | undefined {
    const c = this.construct(templatePath, logicalId);
    return c ? (this.byTemplate.get(templatePath)!.paths.get(logicalId) ?? c.node.path) : undefined;
  }

  public acknowledgement(templatePath: string, logicalId: string, ruleId: string, level?: Level): Acknowledgement | undefined {
    const c = this.construct(templatePath, logicalId);
    if (!c) return undefined;
    // Validations.of(x).acknowledge silences errors too; Annotations.acknowledgeWarning only warnings.
    return findAcknowledgement(c, ruleId) ?? (level === 'warning' ? findWarningAcknowledgement(c, ruleId) : undefined);
  }

  private lookup(entry: TemplateEntry, logicalId: string): IConstruct | undefined {
    if (entry.byLogicalId) return entry.byLogicalId.get(logicalId);
    const stack = entry.stackOf();
    if (!stack) return undefined;
    const resource = entry.resources[logicalId];
    const metadata = isObject(resource) && isObject(resource.Metadata) ? resource.Metadata : undefined;
    const constructPath = metadata?.[PATH_METADATA_KEY];
    if (typeof constructPath === 'string') {
      const c = findByPath(stack.node.root, constructPath);
      // Path metadata can be overridden; trust it only when it names an element of this stack and type.
      if (c && CfnElement.isCfnElement(c) && c.stack === stack && resourceTypeOf(c) === (resource as Record<string, unknown>).Type) {
        entry.paths.set(logicalId, constructPath);
        return c;
      }
    }
    if (!entry.byLogicalId) {
      entry.byLogicalId = new Map();
      for (const el of stack.node.findAll()) {
        if (!CfnElement.isCfnElement(el) || el.stack !== stack) continue;
        const id = stack.resolve(el.logicalId);
        if (typeof id === 'string') entry.byLogicalId.set(id, el);
      }
    }
    return entry.byLogicalId.get(logicalId);
  }
}

/** The construct at a path (as `node.path` gives it) below a root, or undefined. */
function findByPath(root: IConstruct, constructPath: string): IConstruct | undefined {
  let c: IConstruct | undefined = root;
  for (const id of constructPath.split('/')) {
    if (id === '') continue;
    c = c.node.tryFindChild(id);
    if (!c) return undefined;
  }
  return c === root ? undefined : c;
}

/** The CloudFormation type of an element that is a resource; undefined for outputs, parameters and the like. */
export function resourceTypeOf(el: CfnElement): string | undefined {
  const type = (el as { cfnResourceType?: unknown }).cfnResourceType;
  return typeof type === 'string' ? type : undefined;
}

/**
 * Whether the checks read an element, so that a front-end building templates from the construct
 * tree must render it: every resource of a type the checks read, and every element that is not a
 * resource (parameters, outputs, conditions, mappings).
 */
export function isReadByChecks(el: CfnElement): boolean {
  const type = resourceTypeOf(el);
  return type === undefined || RESOURCE_TYPES_READ.has(type);
}
