import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Acknowledgement, ResourceContext } from '../checks/check';

/** The metadata key aws-cdk-lib records `Validations.of(scope).acknowledge(...)` under. */
export const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/** The name of the validation plugin, which is also the namespace of its rule IDs. */
export const PLUGIN_NAME = 'cdk-imds';

/**
 * The acknowledgement of a rule closest to a construct: on it or on an ancestor.
 *
 * `Validations.of(scope).acknowledge({ id: 'IMDS001', reason })` records `Annotation::IMDS001`;
 * `{ id: 'cdk-imds::IMDS001' }` records `cdk-imds::IMDS001`. Both count.
 */
export function findAcknowledgement(construct: IConstruct, ruleId: string): Acknowledgement | undefined {
  const keys = [`Annotation::${ruleId}`, `${PLUGIN_NAME}::${ruleId}`, ruleId];
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

/** Construct paths and acknowledgements for resources of templates, from the construct tree. */
export class ConstructContext implements ResourceContext {
  private readonly byTemplate = new Map<string, Map<string, IConstruct>>();

  /** Register the elements of a stack under the template path used for it. */
  public addStack(templatePath: string, stack: Stack, elements?: Iterable<CfnElement>): void {
    const map = new Map<string, IConstruct>();
    for (const el of elements ?? stack.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c))) {
      if (Stack.of(el) !== stack) continue;
      const id = stack.resolve(el.logicalId);
      if (typeof id === 'string') map.set(id, el);
    }
    this.byTemplate.set(templatePath, map);
  }

  /** Register the constructs of a template's resources, by logical ID. */
  public addElements(templatePath: string, byLogicalId: Map<string, IConstruct>): void {
    this.byTemplate.set(templatePath, byLogicalId);
  }

  public construct(templatePath: string, logicalId: string): IConstruct | undefined {
    return this.byTemplate.get(templatePath)?.get(logicalId);
  }

  public constructPath(templatePath: string, logicalId: string): string | undefined {
    return this.construct(templatePath, logicalId)?.node.path;
  }

  public acknowledgement(templatePath: string, logicalId: string, ruleId: string): Acknowledgement | undefined {
    const c = this.construct(templatePath, logicalId);
    return c ? findAcknowledgement(c, ruleId) : undefined;
  }
}
