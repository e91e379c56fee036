/**
 * The real bundled handler and the real @aws-sdk/client-ec2 it carries, against a local server
 * speaking the EC2 Query protocol on 127.0.0.1.
 */
import * as fs from 'fs';
import { BundledHandler } from '../support/bundled-handler';
import { Ec2QueryServer } from '../support/ec2-query-server';

const BUNDLE = 'assets/account/instance-metadata-defaults.lambda/index.js';
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/S/1';

let server: Ec2QueryServer;
let bundle: BundledHandler;

beforeAll(() => {
  bundle = new BundledHandler(BUNDLE);
});
afterAll(() => bundle?.dispose());

beforeEach(async () => {
  server = new Ec2QueryServer();
  await server.start();
});
afterEach(async () => server?.stop());

function ev(type: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    RequestType: type,
    ResourceProperties: { ServiceToken: 'arn', RemovalPolicy: 'destroy', ...props },
    StackId: STACK_ID,
    LogicalResourceId: 'Defaults',
    RequestId: 'r-1',
    ...extra,
  };
}

const invoke = (event: unknown) => bundle.invoke(event, server.url);

test('the bundle carries its SDK: nothing from @aws-sdk or @smithy resolves outside it', async () => {
  const probe = await bundle.node(
    ['-e', "for (const m of ['@aws-sdk/client-ec2','@aws-sdk/client-cloudformation','@smithy/smithy-client']) { try { require.resolve(m); console.log('FOUND ' + m); } catch { console.log('missing ' + m); } }"],
    bundle.env(server.url, 'eu-west-1'),
  );
  expect(probe.stdout.trim().split('\n')).toEqual(['missing @aws-sdk/client-ec2', 'missing @aws-sdk/client-cloudformation', 'missing @smithy/smithy-client']);
  const code = fs.readFileSync(`${bundle.dir}/index.js`, 'utf8');
  // Only an error message of the SDK mentions require("@aws-sdk/signature-v4-crt") as advice.
  const requires = [...code.matchAll(/(.)require\(["'](@(?:aws-sdk|smithy)\/[^"']+)/g)].filter((m) => m[1] !== '[').map((m) => m[2]);
  expect(requires).toEqual([]);
  expect(bundle.bundleBytes).toBeGreaterThan(100_000);
});

test('Create: exact request parameters, including HttpTokensEnforced and HttpPutResponseHopLimit=-1', async () => {
  server.account.region('eu-west-1', { values: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2 } });
  server.account.region('us-east-1', { values: {} });
  const res = await invoke(
    ev('Create', {
      HttpTokens: 'required',
      HttpPutResponseHopLimit: '-1',
      HttpTokensEnforced: 'enabled',
      InstanceMetadataTags: 'disabled',
      Regions: ['eu-west-1', 'us-east-1'],
    }),
  );
  expect(res.error).toBeUndefined();
  const gets = server.calls('GetInstanceMetadataDefaults');
  expect(gets.map((g) => [g.service, g.region, g.params]).sort()).toEqual([
    ['ec2', 'eu-west-1', {}],
    ['ec2', 'eu-west-1', {}], // read back after applying
    ['ec2', 'us-east-1', {}],
  ]);
  const mods = server.calls('ModifyInstanceMetadataDefaults');
  expect(mods.find((m) => m.region === 'eu-west-1')!.params).toEqual({
    HttpTokens: 'required',
    HttpPutResponseHopLimit: '-1',
    InstanceMetadataTags: 'disabled',
    HttpTokensEnforced: 'enabled',
  });
  expect(mods.find((m) => m.region === 'us-east-1')!.params).toEqual({
    HttpTokens: 'required',
    InstanceMetadataTags: 'disabled',
    HttpTokensEnforced: 'enabled',
  });
  expect(mods.every((m) => m.version === '2016-11-15')).toBe(true);
  expect(server.account.values('eu-west-1')).toEqual({ HttpTokens: 'required', InstanceMetadataTags: 'disabled', HttpTokensEnforced: 'enabled' });
  expect(server.account.values('us-east-1')).toEqual({ HttpTokens: 'required', InstanceMetadataTags: 'disabled', HttpTokensEnforced: 'enabled' });
  expect(res.ok!.PhysicalResourceId).toBe('imds-defaults:1:onnn2=eu-west-1;nnnnn=us-east-1');
  expect(res.ok!.Data).toEqual({
    HttpTokens: 'required',
    HttpPutResponseHopLimit: 'no-preference',
    HttpEndpoint: 'no-preference',
    InstanceMetadataTags: 'disabled',
    HttpTokensEnforced: 'enabled',
    ManagedBy: 'account',
    Region: 'eu-west-1',
    Regions: 'eu-west-1,us-east-1',
  });
});

test('Update then Delete: only the change is sent, a removed Region is restored, Delete restores the rest', async () => {
  server.account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
  server.account.region('us-east-1', { values: { HttpEndpoint: 'enabled' } });
  server.account.region('ap-south-1', { values: { HttpPutResponseHopLimit: 3 } });
  const v1 = { HttpTokens: 'required', HttpPutResponseHopLimit: '1', Regions: ['eu-west-1', 'us-east-1'] };
  const created = await invoke(ev('Create', v1));
  const id1 = created.ok!.PhysicalResourceId;

  server.requests.length = 0;
  const v2 = { HttpTokens: 'required', HttpPutResponseHopLimit: '2', Regions: ['eu-west-1', 'ap-south-1'] };
  const updated = await invoke(ev('Update', v2, { OldResourceProperties: { ...v1, RemovalPolicy: 'destroy' }, PhysicalResourceId: id1 }));
  expect(updated.error).toBeUndefined();
  const mods = server.calls('ModifyInstanceMetadataDefaults').map((m) => [m.region, m.params]).sort();
  expect(mods).toEqual([
    ['ap-south-1', { HttpTokens: 'required', HttpPutResponseHopLimit: '2' }],
    ['eu-west-1', { HttpPutResponseHopLimit: '2' }],
    ['us-east-1', { HttpTokens: 'no-preference', HttpPutResponseHopLimit: '-1' }],
  ]);
  expect(server.account.values('us-east-1')).toEqual({ HttpEndpoint: 'enabled' });
  const id2 = updated.ok!.PhysicalResourceId;
  expect(id2).toBe('imds-defaults:1:nnnn3=ap-south-1;onnnn=eu-west-1');

  // CloudFormation cleans up the replaced ID: it must not undo the update.
  server.stackResources.set('Defaults', id2);
  server.requests.length = 0;
  const cleanup = await invoke(ev('Delete', v1, { PhysicalResourceId: id1 }));
  expect(cleanup.error).toBeUndefined();
  expect(server.calls('DescribeStackResource')[0].params).toEqual({ StackName: STACK_ID, LogicalResourceId: 'Defaults' });
  expect(server.calls('ModifyInstanceMetadataDefaults')).toEqual([]);
  expect(server.account.values('eu-west-1')).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });

  // The stack is deleted: restore.
  server.requests.length = 0;
  const deleted = await invoke(ev('Delete', v2, { PhysicalResourceId: id2 }));
  expect(deleted.error).toBeUndefined();
  expect(server.account.values('eu-west-1')).toEqual({ HttpTokens: 'optional' });
  expect(server.account.values('ap-south-1')).toEqual({ HttpPutResponseHopLimit: 3 });
  expect(server.account.values('us-east-1')).toEqual({ HttpEndpoint: 'enabled' });

  // A replayed Delete changes nothing.
  server.requests.length = 0;
  expect((await invoke(ev('Delete', v2, { PhysicalResourceId: id2 }))).error).toBeUndefined();
  expect(server.calls('ModifyInstanceMetadataDefaults')).toEqual([]);
});

test('throttling is retried by the bundled SDK', async () => {
  server.account.region('eu-west-1', { values: {}, throttle: 2 });
  const res = await invoke(ev('Create', { HttpTokens: 'required', Regions: ['eu-west-1'] }));
  expect(res.error).toBeUndefined();
  // two throttled answers, then Get, Modify, read back
  expect(server.requests.filter((r) => r.region === 'eu-west-1')).toHaveLength(5);
  expect(server.account.values('eu-west-1')).toEqual({ HttpTokens: 'required' });
});

test('one Region failing: the others are rolled back and the error names the Region and the AWS error', async () => {
  server.account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
  server.account.region('us-east-1', { values: {} });
  server.account.region('ap-south-1', { values: {}, failModify: ['UnauthorizedOperation', 'You are not authorized to perform this operation.'] });
  const res = await invoke(ev('Create', { HttpTokens: 'required', HttpTokensEnforced: 'enabled', Regions: ['eu-west-1', 'us-east-1', 'ap-south-1'] }));
  expect(res.error).toMatch(
    /^Region ap-south-1: ModifyInstanceMetadataDefaults failed: UnauthorizedOperation: You are not authorized to perform this operation\. Rolled back (eu-west-1, us-east-1|us-east-1, eu-west-1) to the values found before this request\.$/,
  );
  expect(server.account.values('eu-west-1')).toEqual({ HttpTokens: 'optional' });
  expect(server.account.values('us-east-1')).toEqual({});
  const rollback = server.calls('ModifyInstanceMetadataDefaults').slice(3).map((m) => [m.region, m.params]).sort();
  expect(rollback).toEqual([
    ['eu-west-1', { HttpTokens: 'optional', HttpTokensEnforced: 'no-preference' }],
    ['us-east-1', { HttpTokens: 'no-preference', HttpTokensEnforced: 'no-preference' }],
  ]);
});

test('a declarative policy lock fails with its ManagedExceptionMessage and changes nothing', async () => {
  server.account.region('eu-west-1', { values: {}, managedBy: 'declarative-policy', managedExceptionMessage: 'IMDS settings are owned by the platform team <platform@example.com>' });
  const res = await invoke(ev('Create', { HttpTokens: 'required', Regions: ['eu-west-1'] }));
  expect(res.error).toBe(
    'Region eu-west-1: the instance metadata defaults are managed by an Organizations declarative policy (EC2 policy) and cannot be changed from this account: "IMDS settings are owned by the platform team <platform@example.com>". Nothing was changed.',
  );
  expect(server.calls('ModifyInstanceMetadataDefaults')).toEqual([]);
});

test('all enabled Regions: DescribeRegions in the home Region, opted-out Regions left alone', async () => {
  server.account.region('eu-west-1', { values: {} });
  server.account.region('us-east-1', { values: {} });
  server.account.region('me-south-1', { values: {}, optInStatus: 'not-opted-in' });
  const res = await invoke(ev('Create', { HttpTokens: 'required', AllRegions: 'true' }));
  expect(res.error).toBeUndefined();
  expect(server.calls('DescribeRegions').map((r) => [r.region, r.params])).toEqual([['eu-west-1', {}]]);
  expect(server.calls('ModifyInstanceMetadataDefaults').map((m) => m.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
  expect(server.account.values('me-south-1')).toEqual({});
  expect(res.ok!.Data!.Regions).toBe('eu-west-1,us-east-1');
});

test('Delete when the stack no longer lists the resource (CloudFormation ValidationError): restore', async () => {
  server.account.region('eu-west-1', { values: { HttpPutResponseHopLimit: 2 } });
  const props = { HttpPutResponseHopLimit: '1', Regions: ['eu-west-1'] };
  const { ok } = await invoke(ev('Create', props));
  expect(server.account.values('eu-west-1')).toEqual({ HttpPutResponseHopLimit: 1 });
  const res = await invoke(ev('Delete', props, { PhysicalResourceId: ok!.PhysicalResourceId }));
  expect(res.error).toBeUndefined();
  expect(server.calls('DescribeStackResource').map((r) => [r.service, r.region])).toEqual([['cloudformation', 'eu-west-1']]);
  expect(server.calls('ModifyInstanceMetadataDefaults').pop()!.params).toEqual({ HttpPutResponseHopLimit: '2' });
  expect(server.account.values('eu-west-1')).toEqual({ HttpPutResponseHopLimit: 2 });
});

test('RETAIN: Delete calls nothing and the settings stay', async () => {
  server.account.region('eu-west-1', { values: {} });
  const props = { HttpTokens: 'required', Regions: ['eu-west-1'], RemovalPolicy: 'retain' };
  const { ok } = await invoke(ev('Create', props));
  server.requests.length = 0;
  expect((await invoke(ev('Delete', props, { PhysicalResourceId: ok!.PhysicalResourceId }))).error).toBeUndefined();
  expect(server.requests).toEqual([]);
  expect(server.account.values('eu-west-1')).toEqual({ HttpTokens: 'required' });
});
