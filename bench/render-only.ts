/**
 * What a checker that annotates constructs cannot avoid: rendering the resources it reads before
 * synthesis writes the templates.
 *
 * Annotations must be on the constructs before synthesis collects their metadata, and synthesis
 * writes a stack's template just before it collects the stack's metadata, with no public hook in
 * between; so `ImdsChecks` renders the resources it checks itself, in a validation of the stage,
 * and synthesis renders them again. This aspect does what `ImdsChecks` does up to the rules: it
 * collects the elements `ImdsChecks` renders (`isReadByChecks`, the same selection) and renders
 * them through the same adapter, in a validation of the stage, and stops there.
 * `instructions.ts` measures it to tell the cost of that rendering from the cost of the checks.
 */
import { CfnElement, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isReadByChecks } from '../lib/private/construct-context';
import { renderCloudFormation } from '../lib/validation/cdk-internals';

export class RenderOnly implements IAspect {
  /** How many elements the validation rendered (0 until synthesis validated the tree). */
  public rendered = 0;
  private readonly elements: CfnElement[] = [];
  private registered = false;

  public visit(node: IConstruct): void {
    if (!CfnElement.isCfnElement(node)) return;
    if (!isReadByChecks(node)) return;
    this.elements.push(node);
    if (this.registered) return;
    this.registered = true;
    const scope: IConstruct = Stage.of(node) ?? Stack.of(node);
    scope.node.addValidation({
      validate: () => {
        for (const el of this.elements) {
          if (renderCloudFormation(el) !== undefined) this.rendered++;
        }
        return [];
      },
    });
  }
}
