/**
 * Readings shared by the launch readers: AMIs, instance types, user data, tags, subnets, and the
 * facts of a launch template (read once however many launches use it).
 */
import { KeyHole, describeKeyExpression, isBuiltKey, keyChoices, keyForms, literalParts } from '../tag-keys';
import { Location, ResourceEntry, TemplateModel, Value, describe, isObject } from '../template-model';
import { userDataScriptHasContent } from '../user-data';
import { imageFact } from './images';
import type { LaunchTemplateFacts } from './records';
import { ALL_OPTIONS, ImageFact, InstanceTypeFact, OptionLayer, SubnetFact, SubnetsResult, TagFact, loc } from './shape';

/** Where a launch template's settings are. */
export const LT_DATA = 'Properties/LaunchTemplateData';

/** The AMI facts of an `ImageId` expression, one per value it may have. */
export function imageFacts(model: TemplateModel, raw: unknown): ImageFact[] {
  return model.resolve(raw).map(imageFact);
}

/** The instance types an `InstanceType` expression may have. Batch also accepts a family ("c5"): families are given a size. */
export function typeFacts(model: TemplateModel, logicalId: string, raw: unknown, path: string, batch = false): InstanceTypeFact[] {
  const at = loc(model, logicalId, path);
  return model.resolve(raw).map((v): InstanceTypeFact => {
    if (v.kind === 'known' && typeof v.value === 'string') {
      const value = batch && /^[a-z0-9-]+$/.test(v.value) && !v.value.startsWith('optimal') && !v.value.startsWith('default') ? `${v.value}.large` : v.value;
      return { value, at };
    }
    if (v.kind === 'known') {
      model.addProblem(logicalId, path, `${path} of ${logicalId} is ${describe(v.value)}, expected an instance type name`);
      return { why: `the instance type is ${describe(v.value)}`, at };
    }
    return { why: v.kind === 'unknown' ? v.why : v.kind === 'absent' ? 'no instance type is set' : `a reference to ${v.logicalId}`, at };
  });
}

/** Whether some value of a `UserData` expression has content. */
export function hasUserData(model: TemplateModel, raw: unknown): boolean {
  return model.resolveText(raw).some((t) => userDataScriptHasContent(t));
}

/**
 * The tag keys of one `Key` expression. A key built with `Fn::Sub` or `Fn::Join` that is not known
 * carries its literal parts (tag-keys.ts), one fact per form it may take.
 */
export function tagKey(model: TemplateModel, raw: unknown, at: Location): TagFact[] {
  const values = model.resolve(raw);
  const literal = (v: Value) => v.kind === 'known' && typeof v.value === 'string';
  const choices = values.every(literal) ? [] : keyChoices(model, raw);
  if (!choices.some(isBuiltKey)) {
    return values.map((v) => {
      if (v.kind === 'known' && typeof v.value === 'string') return { key: v.value, at };
      return { why: v.kind === 'unknown' ? v.why : `the tag key is ${v.kind === 'known' ? describe(v.value) : 'not literal'}`, at };
    });
  }
  const out: TagFact[] = [];
  const seen = new Set<string>();
  const add = (f: TagFact) => {
    const id = f.key !== undefined ? `k${f.key}` : `u${f.why}\0${f.expression}\0${(f.literals ?? []).join('\0')}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(f);
  };
  const inLaunchTemplate = at.model.resources.get(at.logicalId)?.type === 'AWS::EC2::LaunchTemplate';
  for (const choice of choices) {
    if (!isBuiltKey(choice)) {
      for (const f of tagKey(model, choice, at)) add(f);
      continue;
    }
    const expression = describeKeyExpression(choice);
    for (const form of keyForms(model, choice, inLaunchTemplate)) {
      const hole = form.find((p): p is KeyHole => typeof p !== 'string');
      if (hole === undefined) add({ key: form.join(''), at });
      else add({ why: hole.unknown, expression, literals: literalParts(form), at });
    }
  }
  return out;
}

/** The keys of a list of `{Key, Value}` tags. */
export function tagList(model: TemplateModel, r: ResourceEntry, raw: unknown, path: string): TagFact[] {
  const list = model.list(raw, r.logicalId, path);
  if (list === undefined) return [];
  const at = loc(model, r.logicalId, path);
  if (!Array.isArray(list)) return [{ why: list.why, at }];
  const out: TagFact[] = [];
  for (const t of list) {
    if (!isObject(t)) continue;
    out.push(...tagKey(model, t.Key, at));
  }
  return out;
}

/** The instance tags of `TagSpecifications` (those for `ResourceType: instance`, or not known to be for another). */
export function tagSpecifications(model: TemplateModel, r: ResourceEntry, raw: unknown, path: string): TagFact[] {
  const specs = model.list(raw, r.logicalId, path);
  if (!Array.isArray(specs)) return specs ? [{ why: specs.why, at: loc(model, r.logicalId, path) }] : [];
  const out: TagFact[] = [];
  specs.forEach((s, i) => {
    if (!isObject(s)) return;
    const type = model.resolve(s.ResourceType)[0];
    if (type.kind === 'known' && type.value !== 'instance') return;
    out.push(...tagList(model, r, s.Tags, `${path}/${i}/Tags`));
  });
  return out;
}

/** What a subnet expression tells about the IPv6 addresses of its instances. */
export function subnetFact(v: Value): SubnetFact {
  if (v.kind === 'absent') return { ipv6: 'unknown', name: '', why: 'absent' };
  if (v.kind === 'ref') {
    const entry = v.model.resources.get(v.logicalId);
    if (!entry || entry.type !== 'AWS::EC2::Subnet') return { ipv6: 'unknown', name: v.logicalId, why: `${v.logicalId} is not a subnet` };
    const p = entry.properties;
    const yes = (x: unknown) => x !== undefined && x !== false && x !== 'false';
    if (yes(p.Ipv6CidrBlock) || yes(p.Ipv6Native) || yes(p.Ipv6IpamPoolId) || yes(p.Ipv6NetmaskLength)) return { ipv6: 'yes', name: v.logicalId };
    if ((v.model.ipv6CidrBlocksBySubnet.get(v.logicalId) ?? []).length > 0) return { ipv6: 'yes', name: v.logicalId };
    return { ipv6: 'no', name: v.logicalId };
  }
  if (v.kind === 'known' && typeof v.value === 'string') return { ipv6: 'unknown', name: v.value, why: `subnet ${v.value} is not defined in the templates given (imported)` };
  return { ipv6: 'unknown', name: 'subnet', why: v.kind === 'unknown' ? `the subnet is ${v.why}` : 'the subnet is not literal' };
}

/** The subnets of a list of network interfaces. */
export function subnetsFromInterfaces(model: TemplateModel, r: ResourceEntry, raw: unknown, path: string): SubnetsResult {
  const list = model.list(raw, r.logicalId, path);
  if (!Array.isArray(list)) return { subnets: [] };
  const subnets: SubnetFact[] = [];
  for (const ni of list) {
    if (!isObject(ni) || ni.SubnetId === undefined) continue;
    for (const v of model.resolve(ni.SubnetId)) subnets.push(subnetFact(v));
  }
  return { subnets };
}

/** Values for messages: "a or b". */
export function describeValues(values: Value[]): string {
  return values
    .map((v) => (v.kind === 'known' ? describe(v.value) : v.kind === 'ref' ? v.logicalId : v.kind === 'unknown' ? v.why : 'nothing'))
    .join(' or ');
}

/** A launch template's `LaunchTemplateData`; a value that is not an object is a problem of the template. */
export function launchTemplateData(lt: ResourceEntry, model: TemplateModel): Record<string, unknown> {
  const d = lt.properties.LaunchTemplateData;
  if (d !== undefined && !isObject(d)) {
    model.addProblem(lt.logicalId, LT_DATA, `LaunchTemplateData of ${lt.logicalId} is ${describe(d)}, expected an object`);
    return {};
  }
  return d ?? {};
}

/** What a launch template says; each fact is read on first use. */
export class TemplateFacts implements LaunchTemplateFacts {
  public readonly layer: OptionLayer;
  public readonly keyName?: Location;
  private _images?: ImageFact[];
  private _instanceTypes?: InstanceTypeFact[];
  private _userData?: { at: Location } | null;
  private _tags?: TagFact[];

  constructor(private readonly lt: ResourceEntry, private readonly m: TemplateModel, private readonly data: Record<string, unknown>) {
    this.layer = { model: m, logicalId: lt.logicalId, path: `${LT_DATA}/MetadataOptions`, raw: data.MetadataOptions, supported: ALL_OPTIONS };
    this.keyName = data.KeyName !== undefined ? loc(m, lt.logicalId, `${LT_DATA}/KeyName`) : undefined;
  }

  public images(): ImageFact[] {
    return (this._images ??= this.data.ImageId !== undefined ? imageFacts(this.m, this.data.ImageId) : []);
  }

  public instanceTypes(): InstanceTypeFact[] {
    return (this._instanceTypes ??= this.data.InstanceType !== undefined ? typeFacts(this.m, this.lt.logicalId, this.data.InstanceType, `${LT_DATA}/InstanceType`) : []);
  }

  public userData(): { at: Location } | undefined {
    if (this._userData === undefined) {
      const raw = this.data.UserData;
      this._userData = raw !== undefined && hasUserData(this.m, raw) ? { at: loc(this.m, this.lt.logicalId, `${LT_DATA}/UserData`) } : null;
    }
    return this._userData ?? undefined;
  }

  public tags(): TagFact[] {
    return (this._tags ??= tagSpecifications(this.m, this.lt, this.data.TagSpecifications, `${LT_DATA}/TagSpecifications`));
  }
}
