/**
 * Reading a property of an L1 resource during the mutating phase without freezing anything.
 *
 * aws-cdk-lib caches the value of a `Lazy.string` / `Lazy.number` / `Lazy.list` / `Lazy.any` on
 * its first resolution (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Lazy.html: "The
 * inner function will only be invoked once"; only the `uncached*` variants may be invoked again).
 * L2 constructs render user data, security groups and tags through such lazies, so resolving them
 * while other aspects and code still change the app would deploy the values of that moment.
 *
 * `readWithoutLazies` resolves a value as `stack.resolve` does, except that it resolves only two
 * kinds of token:
 * - references (`Ref`, `Fn::GetAtt` of an element, as `Reference` tokens): resolved as synthesis
 *   resolves them; a reference caches nothing;
 * - other CloudFormation intrinsics (`Fn::Base64`, `Fn::Join`, `Fn::Sub`, ... as `Intrinsic`
 *   tokens), whose value is fixed when they are made: their arguments are read by the same rule.
 * Every other token (a `Lazy`, or any other producer) is left unresolved and read as `unread()`, an
 * expression the checker evaluates as unknown.
 */
import { DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, ITokenResolver, Reference, Stack, Tokenization, TokenizedStringFragments } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { hasJsiiType } from '../validation/cdk-internals';

/** The intrinsic function name of a value left unresolved; unknown to CloudFormation and to the checker. */
export const UNREAD_FUNCTION = 'Fn::cdk-imds:Unread';

/** What `readWithoutLazies` puts where a token was not resolved (a new object each time: resolution marks what it returns). */
export function unread(): Record<string, string> {
  return { [UNREAD_FUNCTION]: 'a token that is not a reference or intrinsic (a Lazy)' };
}

/** Joins the parts of a string that held tokens as CloudFormation does: `Fn::Join` with '' when a part is not text. */
const JOIN = {
  join(left: unknown, right: unknown): unknown {
    if (left === undefined) return right;
    if (right === undefined) return left;
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    return { 'Fn::Join': ['', [...parts(left), ...parts(right)]] };
  },
};

function parts(v: unknown): unknown[] {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const join = (v as Record<string, unknown>)['Fn::Join'];
    if (Object.keys(v).length === 1 && Array.isArray(join) && join[0] === '' && Array.isArray(join[1])) return join[1];
  }
  return [v];
}

class WithoutLazies implements ITokenResolver {
  private readonly inner = new DefaultTokenResolver(JOIN);

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    const reference = Reference.isReference(t);
    if (!reference && !hasJsiiType(t, 'aws-cdk-lib.Intrinsic')) return unread();
    try {
      // A reference's own value holds its element's logical ID, an uncached Lazy: it is resolved whole.
      return reference ? Stack.of(context.scope).resolve(t) : this.inner.resolveToken(t, context, postProcessor);
    } catch {
      // What refuses to resolve here (a SecretValue whose use is checked, a reference across
      // environments to a resource without a physical name) is not read: synthesis will say why.
      return unread();
    }
  }

  public resolveString(s: TokenizedStringFragments, context: IResolveContext): unknown {
    return this.inner.resolveString(s, context);
  }

  public resolveList(l: string[], context: IResolveContext): unknown {
    return this.inner.resolveList(l, context);
  }
}

const RESOLVER = new WithoutLazies();

/** `value` resolved in the stack of `scope`, with every token that may cache its value left as `unread()`. */
export function readWithoutLazies(scope: IConstruct, value: unknown): any {
  if (value === undefined) return undefined;
  return Tokenization.resolve(value, { scope: Stack.of(scope), resolver: RESOLVER, preparing: false });
}

