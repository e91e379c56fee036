/**
 * Handler of `Custom::InstanceMetadataDefaults` (aws-cdk-lib Provider framework contract).
 *
 * Every request works in two phases so that a failure leaves the account as it was:
 * 1. read the current defaults in every Region concerned (nothing is changed yet; a Region managed
 *    by an Organizations declarative policy fails the request here, with the policy's message);
 * 2. modify, in parallel, only the fields that differ; when one Region fails, the Regions this
 *    request already changed are put back and the request fails naming the Region and the error.
 *
 * The values found before Create travel in the physical resource ID (see `defaults-state.ts`).
 */
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeRegionsCommand,
  EC2Client,
  GetInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataDefaultsCommandInput,
} from '@aws-sdk/client-ec2';
import {
  DEFAULTS_FIELDS,
  DefaultsField,
  DefaultsValues,
  HOP_LIMIT_NO_PREFERENCE,
  NO_PREFERENCE,
  ParsedDefaultsProperties,
  parseDefaultsProperties,
} from './private/defaults-contract';
import { decodeState, encodeState, prune } from './private/defaults-state';

/** The CloudFormation custom resource event, as the Provider framework passes it on. */
export interface DefaultsEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: unknown;
  readonly OldResourceProperties?: unknown;
  readonly PhysicalResourceId?: string;
  readonly StackId?: string;
  readonly LogicalResourceId?: string;
}

/** What the Provider framework expects back. */
export interface DefaultsResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** Attempts per AWS call; the SDK's standard retry strategy backs off on throttling. */
export const MAX_ATTEMPTS = 8;

const DECLARATIVE_POLICY = 'declarative-policy';

/** What GetInstanceMetadataDefaults says for one Region. */
interface RegionReading {
  readonly values: DefaultsValues;
  readonly managedBy?: string;
  readonly managedExceptionMessage?: string;
}

/** The change to make in one Region. */
interface RegionPlan {
  readonly region: string;
  readonly before: RegionReading;
  /** Fields to send, with EC2's "no preference" spelled out. */
  readonly send: Partial<Record<DefaultsField, string | number>>;
}

const clients = new Map<string, EC2Client>();
function ec2(region: string): EC2Client {
  let c = clients.get(region);
  if (!c) {
    c = new EC2Client({ region, maxAttempts: MAX_ATTEMPTS });
    clients.set(region, c);
  }
  return c;
}

function homeRegion(): string {
  const r = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!r) throw new Error('AWS_REGION is not set: the handler cannot tell which Region it runs in');
  return r;
}

function awsError(e: unknown): string {
  const err = e as { name?: string; Code?: string; message?: string };
  const code = err.Code ?? err.name ?? 'Error';
  return `${code}: ${(err.message ?? String(e)).replace(/\.+$/, '')}`;
}

export async function handler(event: DefaultsEvent): Promise<DefaultsResponse> {
  const { RequestType, PhysicalResourceId, ResourceProperties } = event;
  console.log(JSON.stringify({ RequestType, PhysicalResourceId, ResourceProperties }));
  switch (event.RequestType) {
    case 'Create':
      return create(parseDefaultsProperties(event.ResourceProperties));
    case 'Update':
      return update(event);
    case 'Delete':
      return remove(event);
    default:
      throw new Error(`RequestType is ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}: expected Create, Update or Delete`);
  }
}

async function create(props: ParsedDefaultsProperties): Promise<DefaultsResponse> {
  const regions = await targetRegions(props);
  const readings = await readAll(regions);
  // Record first: an ID that cannot hold the previous values fails before anything changes.
  const physicalId = encodeState(new Map(regions.map((r) => [r, readings.get(r)!.values])));
  const plans = regions.map((region) => plan(region, readings.get(region)!, props.managed));
  await applyAll(plans);
  return { PhysicalResourceId: physicalId, Data: await readBack(regions) };
}

async function update(event: DefaultsEvent): Promise<DefaultsResponse> {
  const props = parseDefaultsProperties(event.ResourceProperties);
  const found = decodeState(event.PhysicalResourceId);
  if (!found) {
    // Nothing was recorded (not one of our IDs): start managing as a Create would.
    return create(props);
  }
  let oldManaged: ParsedDefaultsProperties['managed'] = {};
  try {
    oldManaged = parseDefaultsProperties(event.OldResourceProperties).managed;
  } catch {
    // The old properties were never applied (they were invalid); only the new ones count.
  }
  const destroy = props.removalPolicy === 'destroy';
  const targets = await targetRegions(props);
  // Regions dropped from the list are restored. With all Regions, a recorded Region missing from
  // DescribeRegions is no longer enabled: it cannot be called and is simply forgotten.
  const removed = props.allRegions ? [] : [...found.keys()].filter((r) => !targets.includes(r));
  const readings = await readAll([...targets, ...(destroy ? removed : [])]);

  const plans: RegionPlan[] = [];
  const record = new Map<string, DefaultsValues>();
  for (const region of targets) {
    const reading = readings.get(region)!;
    const previous = found.get(region);
    record.set(region, previous ?? reading.values);
    const desired: Partial<Record<DefaultsField, string | number>> = { ...props.managed };
    if (previous && destroy) {
      // A field that is no longer managed goes back to what was found before Create.
      for (const field of DEFAULTS_FIELDS) {
        if (oldManaged[field] !== undefined && props.managed[field] === undefined) {
          desired[field] = spelled(field, previous[field]);
        }
      }
    }
    plans.push(plan(region, reading, desired));
  }
  if (destroy) {
    for (const region of removed) {
      plans.push(plan(region, readings.get(region)!, restoreTarget(oldManaged, found.get(region)!)));
    }
  }
  const physicalId = encodeState(record);
  await applyAll(plans);
  return { PhysicalResourceId: physicalId, Data: await readBack(targets) };
}

async function remove(event: DefaultsEvent): Promise<DefaultsResponse> {
  const physicalId = event.PhysicalResourceId ?? '';
  const found = decodeState(event.PhysicalResourceId);
  if (!found) {
    console.log(`Physical resource ID ${JSON.stringify(physicalId)} records nothing (Create did not complete): nothing to restore`);
    return { PhysicalResourceId: physicalId };
  }
  const props = parseDefaultsProperties(event.ResourceProperties);
  if (props.removalPolicy === 'retain') {
    console.log('RemovalPolicy is retain: the settings are left as they are');
    return { PhysicalResourceId: physicalId };
  }
  if (await superseded(event)) {
    return { PhysicalResourceId: physicalId };
  }
  const regions = [...found.keys()];
  const readings = await readAll(regions);
  await applyAll(regions.map((region) => plan(region, readings.get(region)!, restoreTarget(props.managed, found.get(region)!))));
  return { PhysicalResourceId: physicalId };
}

/**
 * Whether this Delete is CloudFormation cleaning up an ID that an Update replaced.
 *
 * After an Update that returns a new physical ID, CloudFormation deletes the old one. The old ID
 * holds the same Regions as the new one, so restoring it would undo the resource that replaced
 * it; the stack tells which ID is current.
 */
async function superseded(event: DefaultsEvent): Promise<boolean> {
  if (!event.StackId || !event.LogicalResourceId) return false;
  const cfn = new CloudFormationClient({ region: homeRegion(), maxAttempts: MAX_ATTEMPTS });
  let current: string | undefined;
  try {
    const out = await cfn.send(new DescribeStackResourceCommand({ StackName: event.StackId, LogicalResourceId: event.LogicalResourceId }));
    current = out.StackResourceDetail?.PhysicalResourceId;
  } catch (e) {
    const err = e as { name?: string; message?: string };
    if (err.name === 'ValidationError' && /does not exist/.test(err.message ?? '')) {
      // Nothing in the stack holds a newer ID: this is a real deletion.
      return false;
    }
    throw new Error(
      `cannot tell whether ${event.LogicalResourceId} is being deleted or replaced (DescribeStackResource failed: ${awsError(e)}); nothing was restored`,
    );
  }
  if (current !== undefined && current !== event.PhysicalResourceId) {
    console.log(`${event.LogicalResourceId} is now ${current}: this Delete cleans up a replaced ID, nothing to restore`);
    return true;
  }
  return false;
}

/** The values to write back on restore: the managed fields, as found before Create. */
function restoreTarget(managed: ParsedDefaultsProperties['managed'], previous: DefaultsValues): Partial<Record<DefaultsField, string | number>> {
  const out: Partial<Record<DefaultsField, string | number>> = {};
  for (const field of DEFAULTS_FIELDS) {
    if (managed[field] !== undefined) out[field] = spelled(field, previous[field]);
  }
  return out;
}

/** A value as EC2's Modify call spells it: absent becomes "no preference". */
function spelled(field: DefaultsField, value: string | number | undefined): string | number {
  if (value !== undefined) return value;
  return field === 'HttpPutResponseHopLimit' ? HOP_LIMIT_NO_PREFERENCE : NO_PREFERENCE;
}

/** A value as GetInstanceMetadataDefaults reports it: "no preference" is absent. */
function asRead(value: string | number | undefined): string | number | undefined {
  return value === NO_PREFERENCE || value === HOP_LIMIT_NO_PREFERENCE ? undefined : value;
}

function plan(region: string, before: RegionReading, desired: Partial<Record<DefaultsField, string | number>>): RegionPlan {
  const send: Partial<Record<DefaultsField, string | number>> = {};
  for (const field of DEFAULTS_FIELDS) {
    const want = desired[field];
    if (want === undefined) continue;
    if (asRead(want) !== before.values[field]) send[field] = want;
  }
  return { region, before, send };
}

async function targetRegions(props: ParsedDefaultsProperties): Promise<string[]> {
  if (!props.allRegions) return props.regions!;
  let out;
  try {
    out = await ec2(homeRegion()).send(new DescribeRegionsCommand({}));
  } catch (e) {
    throw new Error(`cannot list the enabled Regions (DescribeRegions in ${homeRegion()}): ${awsError(e)}`);
  }
  const regions = (out.Regions ?? [])
    .filter((r) => r.OptInStatus === undefined || r.OptInStatus === 'opt-in-not-required' || r.OptInStatus === 'opted-in')
    .map((r) => r.RegionName)
    .filter((r): r is string => typeof r === 'string')
    .sort();
  if (regions.length === 0) throw new Error(`DescribeRegions in ${homeRegion()} returned no enabled Region`);
  return regions;
}

async function read(region: string): Promise<RegionReading> {
  const out = await ec2(region).send(new GetInstanceMetadataDefaultsCommand({}));
  const a = out.AccountLevel ?? {};
  return {
    values: prune({
      HttpTokens: a.HttpTokens,
      HttpPutResponseHopLimit: a.HttpPutResponseHopLimit,
      HttpEndpoint: a.HttpEndpoint,
      InstanceMetadataTags: a.InstanceMetadataTags,
      HttpTokensEnforced: a.HttpTokensEnforced,
    }),
    managedBy: a.ManagedBy,
    managedExceptionMessage: a.ManagedExceptionMessage,
  };
}

/** Phase 1: read every Region; any failure ends the request before anything changes. */
async function readAll(regions: string[]): Promise<Map<string, RegionReading>> {
  const results = await Promise.allSettled(regions.map((r) => read(r)));
  const failures: string[] = [];
  const out = new Map<string, RegionReading>();
  results.forEach((res, i) => {
    if (res.status === 'fulfilled') out.set(regions[i], res.value);
    else failures.push(`Region ${regions[i]}: GetInstanceMetadataDefaults failed: ${awsError(res.reason)}`);
  });
  if (failures.length > 0) {
    throw new Error(`${failures.join('; ')}. Nothing was changed.`);
  }
  return out;
}

function modifyInput(send: Partial<Record<DefaultsField, string | number>>): ModifyInstanceMetadataDefaultsCommandInput {
  return send as ModifyInstanceMetadataDefaultsCommandInput;
}

/** Phase 2: modify in parallel; on any failure put back the Regions changed here, then fail. */
async function applyAll(plans: RegionPlan[]): Promise<void> {
  const todo = plans.filter((p) => Object.keys(p.send).length > 0);
  const locked = todo.filter((p) => p.before.managedBy === DECLARATIVE_POLICY);
  if (locked.length > 0) {
    throw new Error(
      locked
        .map(
          (p) =>
            `Region ${p.region}: the instance metadata defaults are managed by an Organizations declarative policy (EC2 policy) and cannot be changed from this account: ${JSON.stringify(p.before.managedExceptionMessage ?? '(the policy gives no message)')}`,
        )
        .join('; ') + '. Nothing was changed.',
    );
  }
  for (const p of todo) console.log(`Region ${p.region}: ModifyInstanceMetadataDefaults ${JSON.stringify(p.send)}`);
  const results = await Promise.allSettled(todo.map((p) => ec2(p.region).send(new ModifyInstanceMetadataDefaultsCommand(modifyInput(p.send)))));
  const failed = todo.filter((_, i) => results[i].status === 'rejected');
  if (failed.length === 0) return;

  const changed = todo.filter((_, i) => results[i].status === 'fulfilled');
  const rollback = await Promise.allSettled(
    changed.map((p) => {
      const back: Partial<Record<DefaultsField, string | number>> = {};
      for (const field of Object.keys(p.send) as DefaultsField[]) back[field] = spelled(field, p.before.values[field]);
      return ec2(p.region).send(new ModifyInstanceMetadataDefaultsCommand(modifyInput(back)));
    }),
  );
  const reasons = await Promise.all(
    todo
      .map((p, i) => ({ p, r: results[i] }))
      .filter(({ r }) => r.status === 'rejected')
      .map(async ({ p, r }) => `Region ${p.region}: ModifyInstanceMetadataDefaults failed: ${awsError((r as PromiseRejectedResult).reason)}${await lockNote(p.region)}`),
  );
  const restored = changed.filter((_, i) => rollback[i].status === 'fulfilled').map((p) => p.region);
  const notRestored = changed
    .map((p, i) => ({ p, r: rollback[i] }))
    .filter(({ r }) => r.status === 'rejected')
    .map(({ p, r }) => `${p.region} (${awsError((r as PromiseRejectedResult).reason)})`);
  let msg = reasons.join('; ') + '.';
  if (changed.length === 0) msg += ' No other Region had been changed.';
  if (restored.length > 0) msg += ` Rolled back ${restored.join(', ')} to the values found before this request.`;
  if (notRestored.length > 0) msg += ` Could NOT roll back ${notRestored.join(', ')}: check these Regions by hand.`;
  throw new Error(msg);
}

/**
 * When a Modify fails, whether an Organizations policy took the settings over since they were
 * read (AWS does not document Modify's error under a lock; GetInstanceMetadataDefaults tells).
 */
async function lockNote(region: string): Promise<string> {
  try {
    const now = await read(region);
    if (now.managedBy === DECLARATIVE_POLICY) {
      return ` (the settings are now managed by an Organizations declarative policy (EC2 policy): ${JSON.stringify(now.managedExceptionMessage ?? '(the policy gives no message)')})`;
    }
  } catch {
    // The Modify error above is the one to report.
  }
  return '';
}

/**
 * The attributes: the account-level values read back after applying, in the Lambda's own Region
 * when it is one of the Regions managed, otherwise in the first managed Region.
 */
async function readBack(regions: string[]): Promise<Record<string, string>> {
  const home = homeRegion();
  const sorted = [...regions].sort();
  const region = regions.includes(home) ? home : sorted[0];
  let reading: RegionReading;
  try {
    reading = await read(region);
  } catch (e) {
    throw new Error(`Region ${region}: the settings were applied but GetInstanceMetadataDefaults failed when reading them back: ${awsError(e)}`);
  }
  const v = reading.values;
  return {
    HttpTokens: v.HttpTokens ?? NO_PREFERENCE,
    HttpPutResponseHopLimit: v.HttpPutResponseHopLimit === undefined ? NO_PREFERENCE : String(v.HttpPutResponseHopLimit),
    HttpEndpoint: v.HttpEndpoint ?? NO_PREFERENCE,
    InstanceMetadataTags: v.InstanceMetadataTags ?? NO_PREFERENCE,
    HttpTokensEnforced: v.HttpTokensEnforced ?? NO_PREFERENCE,
    ManagedBy: reading.managedBy ?? 'account',
    Region: region,
    Regions: sorted.join(','),
  };
}
