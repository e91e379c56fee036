/**
 * The launch templates of an app by their literal `LaunchTemplateName`, so that a launch naming a
 * template by name finds it in any stack, as the checker does (`LaunchReader.findTemplate`).
 */
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { readWithoutLazies } from './read-without-lazies';

export class LaunchTemplatesByName {
  private index?: Map<string, CfnResource[]>;

  constructor(private readonly root: IConstruct) {}

  /**
   * The launch templates named `name`: those of the stack of `from` when it has any, else those of
   * the rest of the app. The index is read once; a name it lacks is looked for again in the
   * construct of `from` (where aws-cdk-lib adds the template behind `requireImdsv2`) and then in
   * the whole app, since a template may have been added after the index was read.
   */
  public named(name: string, from: CfnResource): CfnResource[] {
    let found = this.lookup(name, from);
    if (found.length > 0) return found;
    const scope = from.node.scope;
    if (scope) {
      found = templatesIn(scope).filter((lt) => nameOf(lt) === name);
      if (found.length > 0) return found;
    }
    this.index = undefined;
    return this.lookup(name, from);
  }

  private lookup(name: string, from: CfnResource): CfnResource[] {
    if (!this.index) {
      this.index = new Map();
      for (const lt of templatesIn(this.root)) {
        const n = nameOf(lt);
        if (n === undefined) continue;
        const list = this.index.get(n);
        if (list) list.push(lt);
        else this.index.set(n, [lt]);
      }
    }
    const all = this.index.get(name) ?? [];
    const here = all.filter((lt) => lt.stack === from.stack);
    return here.length > 0 ? here : all;
  }
}

function templatesIn(scope: IConstruct): CfnResource[] {
  return scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::EC2::LaunchTemplate');
}

/** A launch template's name when it is literal (read without resolving a lazy). */
function nameOf(lt: CfnResource): string | undefined {
  const name = readWithoutLazies(lt, (lt as CfnResource & { launchTemplateName?: unknown }).launchTemplateName);
  return typeof name === 'string' ? name : undefined;
}
