/**
 * Reading a service's own IMDS switch whose values are not HttpTokens' (a boolean "disable
 * IMDSv1", a minimum IMDS version) as an HttpTokens expression, so that the effective options
 * resolve it like any other: every `Fn::If` alternative kept, parameters and tokens "cannot
 * verify", `AWS::NoValue` "not set".
 */
import { MAX_EVALUATION_DEPTH } from '../intrinsics';
import { TemplateModel, isObject } from '../template-model';

/** Why a switch value cannot be read as HttpTokens. */
export class UnreadableSwitch {
  /** `invalid`: a literal that is not a value of the switch (the service refuses it). */
  constructor(public readonly why: string, public readonly invalid: boolean = false) {}
}

/**
 * The HttpTokens expression of a switch expression: `Fn::If` is kept with each branch mapped, a
 * literal is mapped by `map`, and anything whose value is known only at deployment is returned
 * as it is (it resolves to the same "cannot verify" later). `map` returns undefined for a
 * literal that is not a value of the switch.
 */
export function tokensExpression(
  model: TemplateModel,
  expr: unknown,
  map: (literal: unknown) => string | undefined,
  describeLiteral: (literal: unknown) => string,
  depth: number = 0,
): unknown {
  if (depth > MAX_EVALUATION_DEPTH) return new UnreadableSwitch(`an expression nested more than ${MAX_EVALUATION_DEPTH} levels deep`);
  const branches = isObject(expr) && Object.keys(expr).length === 1 ? expr['Fn::If'] : undefined;
  if (Array.isArray(branches) && branches.length === 3 && typeof branches[0] === 'string') {
    const yes = tokensExpression(model, branches[1], map, describeLiteral, depth + 1);
    if (yes instanceof UnreadableSwitch) return yes;
    const no = tokensExpression(model, branches[2], map, describeLiteral, depth + 1);
    if (no instanceof UnreadableSwitch) return no;
    return { 'Fn::If': [branches[0], yes, no] };
  }
  const values = model.resolve(expr, depth);
  // Several values other than through Fn::If (a Fn::Join over one): each must map alike.
  let mapped: string | undefined;
  for (const v of values) {
    if (v.kind !== 'known') return values.length === 1 ? expr : new UnreadableSwitch('an expression with several values, some known only at deployment');
    const tokens = map(v.value);
    if (tokens === undefined) return new UnreadableSwitch(describeLiteral(v.value), true);
    if (mapped !== undefined && mapped !== tokens) return new UnreadableSwitch('an expression with several values');
    mapped = tokens;
  }
  return mapped;
}
