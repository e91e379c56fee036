import {
  BootstraplessSynthesizer,
  CfnElement,
  CliCredentialsStackSynthesizer,
  DefaultStackSynthesizer,
  LegacyStackSynthesizer,
  NestedStackSynthesizer,
  Stack,
} from 'aws-cdk-lib';

/** The aws-cdk-lib method with which a stack's synthesizer writes the stack's template. */
const WRITE = '_synthesizeTemplate';
/** The aws-cdk-lib method that renders an element's CloudFormation (and a stack's whole template). */
const RENDER = '_toCloudFormation';
type Method = typeof WRITE | typeof RENDER;

/**
 * The stack synthesizers known to change no element of their stack before writing its template
 * (the default synthesizer only adds the bootstrap version parameter and rule). A rendering made
 * early is reused only for stacks synthesized by exactly one of these classes: another
 * synthesizer (a subclass included) might change an element just before it writes.
 */
const KNOWN_SYNTHESIZERS: ReadonlySet<Function> = new Set<Function>([
  DefaultStackSynthesizer,
  CliCredentialsStackSynthesizer,
  LegacyStackSynthesizer,
  BootstraplessSynthesizer,
  NestedStackSynthesizer,
]);

interface Installed {
  readonly target: object;
  readonly name: Method;
  /** The object's own property that was there before (another wrapper), restored on removal. */
  readonly previous?: PropertyDescriptor;
}

/**
 * Lets checks run on the CloudFormation that synthesis writes, at the last moment annotations
 * still reach the cloud assembly, without rendering anything twice.
 *
 * - `arm(stacks, onFirstWrite)` (called from a validation, once the tree is final) wraps the
 *   template writer of each stack: when synthesis is about to write the first of them, after
 *   every validation and before any stack artifact is emitted, `onFirstWrite` runs once.
 * - `render(element)` renders an element as the stack's template writer does
 *   (`stack.resolve(element._toCloudFormation())`) and lets that writer use this rendering, once,
 *   instead of rendering the element again, when the stack's synthesizer is one of aws-cdk-lib's
 *   own: those change no element before writing (the default one only adds the bootstrap version
 *   rule), so the template written is the one rendered here. With any other synthesizer the
 *   writer renders the element again.
 * - `disarm()` removes every wrapper and rendering not used yet; call it when a new synthesis
 *   starts, so that nothing is left over from one that stopped half-way.
 */
export class TemplateCapture {
  private readonly installed = new Set<Installed>();

  /** Whether wrappers or renderings are still installed. */
  public get armed(): boolean {
    return this.installed.size > 0;
  }

  /**
   * Wrap the template writers of these stacks. Returns the stacks that could not be wrapped
   * because this aws-cdk-lib writes templates differently (their templates cannot be checked).
   */
  public arm(stacks: Iterable<Stack>, onFirstWrite: () => void): Stack[] {
    this.disarm();
    const unsupported: Stack[] = [];
    const armed: Stack[] = [];
    for (const stack of stacks) {
      if (typeof methodOf(stack, WRITE) !== 'function' || typeof methodOf(stack, RENDER) !== 'function') unsupported.push(stack);
      else armed.push(stack);
    }
    let fired = false;
    for (const stack of armed) {
      const write = methodOf(stack, WRITE)!;
      const entry = this.install(stack, WRITE, (...args: unknown[]) => {
        this.restore(entry);
        if (!fired) {
          fired = true;
          for (const e of [...this.installed]) if (e.name === WRITE) this.restore(e);
          onFirstWrite();
        }
        return write.apply(stack, args);
      });
    }
    return unsupported;
  }

  /**
   * The element's CloudFormation fragment as its stack's template writer renders it, reused by
   * that writer when the stack's synthesizer is one of aws-cdk-lib's own. Throws what rendering
   * throws (then nothing is reused).
   */
  public render(element: CfnElement): unknown {
    const render = methodOf(element, RENDER);
    if (!render) return undefined;
    const fragment = element.stack.resolve(render.call(element));
    if (!KNOWN_SYNTHESIZERS.has(element.stack.synthesizer.constructor)) return fragment;
    const entry = this.install(element, RENDER, () => {
      this.restore(entry);
      return fragment;
    });
    return fragment;
  }

  /** Remove every wrapper and rendering still installed. */
  public disarm(): void {
    for (const e of [...this.installed]) this.restore(e);
  }

  private install(target: object, name: Method, value: (...args: unknown[]) => unknown): Installed {
    const entry: Installed = { target, name, previous: Object.getOwnPropertyDescriptor(target, name) };
    Object.defineProperty(target, name, { value, configurable: true, writable: true, enumerable: false });
    this.installed.add(entry);
    return entry;
  }

  private restore(entry: Installed): void {
    if (!this.installed.delete(entry)) return;
    if (entry.previous) Object.defineProperty(entry.target, entry.name, entry.previous);
    else delete (entry.target as Record<string, unknown>)[entry.name];
  }
}

function methodOf(target: object, name: Method): ((...args: unknown[]) => unknown) | undefined {
  const m = (target as Record<string, unknown>)[name];
  return typeof m === 'function' ? (m as (...args: unknown[]) => unknown) : undefined;
}
