import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeRegionsCommand,
  EC2Client,
  GetInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataDefaultsCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { DefaultsEvent, handler } from '../../src/account/instance-metadata-defaults.lambda';
import { decodeState, encodeState } from '../../src/account/private/defaults-state';
import { FakeAccount } from '../support/fake-ec2-account';

const ec2Mock = mockClient(EC2Client);
const cfnMock = mockClient(CloudFormationClient);
let account: FakeAccount;

function awsError(code: string, message: string): Error {
  const e = new Error(message);
  e.name = code;
  return e;
}

beforeEach(() => {
  process.env.AWS_REGION = 'eu-west-1';
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  account = new FakeAccount();
  ec2Mock.reset();
  cfnMock.reset();
  ec2Mock.on(GetInstanceMetadataDefaultsCommand).callsFake(async (_input, getClient) => {
    const region: string = await getClient().config.region();
    account.gets.push(region);
    const r = account.regions.get(region);
    if (!r) throw awsError('OptInRequired', `You are not subscribed to ${region}`);
    if (r.failGet) throw awsError(...r.failGet);
    return { AccountLevel: { ...r.values, ManagedBy: r.managedBy ?? 'account', ManagedExceptionMessage: r.managedExceptionMessage } };
  });
  ec2Mock.on(ModifyInstanceMetadataDefaultsCommand).callsFake(async (input, getClient) => {
    const region: string = await getClient().config.region();
    const r = account.regions.get(region)!;
    account.modifies.push({ region, params: { ...input } });
    if (r.failModify) throw awsError(...r.failModify);
    FakeAccount.apply(r.values, input);
    return { Return: true };
  });
  ec2Mock.on(DescribeRegionsCommand).callsFake(async () => ({
    Regions: [...account.regions.entries()].map(([name, r]) => ({ RegionName: name, OptInStatus: r.optInStatus ?? 'opt-in-not-required' })),
  }));
});

afterEach(() => jest.restoreAllMocks());

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/S/1';

function ev(type: DefaultsEvent['RequestType'], props: Record<string, unknown>, extra: Partial<DefaultsEvent> = {}): DefaultsEvent {
  return { RequestType: type, ResourceProperties: { ServiceToken: 'arn', RemovalPolicy: 'destroy', ...props }, StackId: STACK_ID, LogicalResourceId: 'Defaults', ...extra };
}

function currentIs(physicalId: string) {
  cfnMock.on(DescribeStackResourceCommand).resolves({ StackResourceDetail: { PhysicalResourceId: physicalId } as any });
}

describe('Create', () => {
  test('captures the values found, then sends only the fields that differ', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional', HttpEndpoint: 'enabled' } });
    const res = await handler(ev('Create', { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: '2', Regions: ['eu-west-1'] }));
    expect(account.modifies).toEqual([{ region: 'eu-west-1', params: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } }]);
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 2 });
    expect(decodeState(res.PhysicalResourceId)).toEqual(new Map([['eu-west-1', { HttpTokens: 'optional', HttpEndpoint: 'enabled' }]]));
    expect(res.Data).toEqual({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: '2',
      HttpEndpoint: 'enabled',
      InstanceMetadataTags: 'no-preference',
      HttpTokensEnforced: 'no-preference',
      ManagedBy: 'account',
      Region: 'eu-west-1',
      Regions: 'eu-west-1',
    });
  });

  test('sends HttpTokensEnforced and a hop limit of -1 for no preference', async () => {
    account.region('eu-west-1', { values: { HttpPutResponseHopLimit: 3 } });
    await handler(ev('Create', { HttpTokensEnforced: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: '-1', Regions: ['eu-west-1'] }));
    expect(account.modifies[0].params).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: -1, HttpTokensEnforced: 'enabled' });
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'required', HttpTokensEnforced: 'enabled' });
  });

  test('values already in place: nothing is modified', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'required' } });
    const res = await handler(ev('Create', { HttpTokens: 'required', InstanceMetadataTags: 'no-preference', Regions: ['eu-west-1'] }));
    expect(account.modifies).toEqual([]);
    expect(res.Data!.HttpTokens).toBe('required');
  });

  test('all enabled Regions: DescribeRegions, not-opted-in Regions skipped, attributes from the home Region', async () => {
    account.region('eu-west-1');
    account.region('us-east-1');
    account.region('af-south-1', { optInStatus: 'not-opted-in' });
    account.region('ap-east-1', { optInStatus: 'opted-in' });
    const res = await handler(ev('Create', { HttpTokens: 'required', AllRegions: 'true' }));
    expect(account.modifies.map((m) => m.region).sort()).toEqual(['ap-east-1', 'eu-west-1', 'us-east-1']);
    expect(account.values('af-south-1')).toEqual({});
    expect(res.Data!.Region).toBe('eu-west-1');
    expect(res.Data!.Regions).toBe('ap-east-1,eu-west-1,us-east-1');
    expect([...decodeState(res.PhysicalResourceId)!.keys()].sort()).toEqual(['ap-east-1', 'eu-west-1', 'us-east-1']);
  });

  test('attributes come from the first Region when the home Region is not managed', async () => {
    account.region('us-west-2');
    account.region('ap-south-1');
    const res = await handler(ev('Create', { HttpTokens: 'required', Regions: ['us-west-2', 'ap-south-1'] }));
    expect(res.Data!.Region).toBe('ap-south-1');
  });

  test('one Region failing rolls back the others and names the Region and the AWS error', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    account.region('us-east-1');
    account.region('ap-south-1', { failModify: ['UnauthorizedOperation', 'You are not authorized to perform this operation.'] });
    await expect(handler(ev('Create', { HttpTokens: 'required', HttpPutResponseHopLimit: '1', Regions: ['eu-west-1', 'us-east-1', 'ap-south-1'] }))).rejects.toThrow(
      /^Region ap-south-1: ModifyInstanceMetadataDefaults failed: UnauthorizedOperation: You are not authorized to perform this operation\. Rolled back eu-west-1, us-east-1 to the values found before this request\.$/,
    );
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'optional' });
    expect(account.values('us-east-1')).toEqual({});
    const rollbacks = account.modifies.slice(3);
    expect(rollbacks).toEqual(
      expect.arrayContaining([
        { region: 'eu-west-1', params: { HttpTokens: 'optional', HttpPutResponseHopLimit: -1 } },
        { region: 'us-east-1', params: { HttpTokens: 'no-preference', HttpPutResponseHopLimit: -1 } },
      ]),
    );
  });

  test('a rollback that fails too is reported', async () => {
    account.region('eu-west-1');
    account.region('us-east-1', { failModify: ['InternalError', 'boom'] });
    let calls = 0;
    ec2Mock.on(ModifyInstanceMetadataDefaultsCommand).callsFake(async (input, getClient) => {
      const region: string = await getClient().config.region();
      calls++;
      if (region === 'us-east-1') throw awsError('InternalError', 'boom');
      if (calls > 2) throw awsError('RequestLimitExceeded', 'slow down');
      FakeAccount.apply(account.values(region), input);
      return {};
    });
    await expect(handler(ev('Create', { HttpTokens: 'required', Regions: ['eu-west-1', 'us-east-1'] }))).rejects.toThrow(
      'Region us-east-1: ModifyInstanceMetadataDefaults failed: InternalError: boom. Could NOT roll back eu-west-1 (RequestLimitExceeded: slow down): check these Regions by hand.',
    );
  });

  test('a Region that cannot be read stops the request before any change', async () => {
    account.region('eu-west-1');
    account.region('us-east-1', { failGet: ['AuthFailure', 'AWS was not able to validate the provided access credentials'] });
    await expect(handler(ev('Create', { HttpTokens: 'required', Regions: ['eu-west-1', 'us-east-1'] }))).rejects.toThrow(
      'Region us-east-1: GetInstanceMetadataDefaults failed: AuthFailure: AWS was not able to validate the provided access credentials. Nothing was changed.',
    );
    expect(account.modifies).toEqual([]);
  });

  test('a declarative policy lock fails with its ManagedExceptionMessage, before any change', async () => {
    account.region('eu-west-1');
    account.region('us-east-1', { managedBy: 'declarative-policy', managedExceptionMessage: 'Contact cloud-platform@example.com' });
    await expect(handler(ev('Create', { HttpTokens: 'required', Regions: ['eu-west-1', 'us-east-1'] }))).rejects.toThrow(
      /^Region us-east-1: the instance metadata defaults are managed by an Organizations declarative policy \(EC2 policy\) and cannot be changed from this account: "Contact cloud-platform@example.com"\. Nothing was changed\.$/,
    );
    expect(account.modifies).toEqual([]);
  });

  test('a policy attached between reading and modifying: the error carries its message', async () => {
    const r = account.region('eu-west-1');
    ec2Mock.on(ModifyInstanceMetadataDefaultsCommand).callsFake(async () => {
      Object.assign(r, { managedBy: 'declarative-policy', managedExceptionMessage: 'Ask the platform team' });
      throw awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    });
    await expect(handler(ev('Create', { HttpTokens: 'required', Regions: ['eu-west-1'] }))).rejects.toThrow(
      'Region eu-west-1: ModifyInstanceMetadataDefaults failed: UnauthorizedOperation: You are not authorized to perform this operation ' +
        '(the settings are now managed by an Organizations declarative policy (EC2 policy): "Ask the platform team"). No other Region had been changed.',
    );
  });

  test('DescribeRegions failing is reported', async () => {
    ec2Mock.on(DescribeRegionsCommand).rejects(awsError('UnauthorizedOperation', 'no'));
    await expect(handler(ev('Create', { HttpTokens: 'required', AllRegions: 'true' }))).rejects.toThrow(
      'cannot list the enabled Regions (DescribeRegions in eu-west-1): UnauthorizedOperation: no',
    );
  });

  test('too many Regions to record fails before any change', async () => {
    const many = Array.from({ length: 70 }, (_, i) => `xx-region${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}-1`);
    many.forEach((r, i) => account.region(r, { values: { HttpPutResponseHopLimit: (i % 64) + 1 } }));
    await expect(handler(ev('Create', { HttpTokens: 'required', Regions: many }))).rejects.toThrow(/more than the 1024 a physical resource ID may hold/);
    expect(account.modifies).toEqual([]);
  });
});

describe('Update', () => {
  async function created(props: Record<string, unknown>) {
    const res = await handler(ev('Create', props));
    account.modifies.length = 0;
    return res.PhysicalResourceId;
  }

  test('sends only what changed and keeps the physical ID', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    const old = { HttpTokens: 'required', HttpPutResponseHopLimit: '1', Regions: ['eu-west-1'] };
    const id = await created(old);
    const res = await handler(ev('Update', { ...old, HttpPutResponseHopLimit: '2' }, { OldResourceProperties: { ...old, RemovalPolicy: 'destroy' }, PhysicalResourceId: id }));
    expect(account.modifies).toEqual([{ region: 'eu-west-1', params: { HttpPutResponseHopLimit: 2 } }]);
    expect(res.PhysicalResourceId).toBe(id);
  });

  test('a changed Region list: new Regions captured and applied, removed ones restored', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    account.region('us-east-1', { values: { HttpEndpoint: 'enabled' } });
    account.region('ap-south-1', { values: { HttpTokens: 'optional', HttpPutResponseHopLimit: 4 } });
    const old = { HttpTokens: 'required', Regions: ['eu-west-1', 'us-east-1'] };
    const id = await created(old);
    const next = { HttpTokens: 'required', Regions: ['eu-west-1', 'ap-south-1'] };
    const res = await handler(ev('Update', next, { OldResourceProperties: { ...old, RemovalPolicy: 'destroy' }, PhysicalResourceId: id }));
    expect(account.modifies).toEqual(
      expect.arrayContaining([
        { region: 'ap-south-1', params: { HttpTokens: 'required' } },
        { region: 'us-east-1', params: { HttpTokens: 'no-preference' } },
      ]),
    );
    expect(account.modifies).toHaveLength(2);
    expect(account.values('us-east-1')).toEqual({ HttpEndpoint: 'enabled' });
    expect(decodeState(res.PhysicalResourceId)).toEqual(
      new Map<string, unknown>([
        ['ap-south-1', { HttpTokens: 'optional', HttpPutResponseHopLimit: 4 }],
        ['eu-west-1', { HttpTokens: 'optional' }],
      ]),
    );
  });

  test('with RETAIN a removed Region is left as it is', async () => {
    account.region('eu-west-1');
    account.region('us-east-1');
    const old = { HttpTokens: 'required', Regions: ['eu-west-1', 'us-east-1'], RemovalPolicy: 'retain' };
    const id = await created(old);
    await handler(ev('Update', { ...old, Regions: ['eu-west-1'] }, { OldResourceProperties: old, PhysicalResourceId: id }));
    expect(account.modifies).toEqual([]);
    expect(account.values('us-east-1')).toEqual({ HttpTokens: 'required' });
  });

  test('an option no longer managed goes back to the value found before Create (DESTROY)', async () => {
    account.region('eu-west-1', { values: { HttpEndpoint: 'enabled', HttpTokens: 'optional' } });
    const old = { HttpTokens: 'required', HttpEndpoint: 'disabled', Regions: ['eu-west-1'] };
    const id = await created(old);
    await handler(ev('Update', { HttpTokens: 'required', Regions: ['eu-west-1'] }, { OldResourceProperties: { ...old, RemovalPolicy: 'destroy' }, PhysicalResourceId: id }));
    expect(account.modifies).toEqual([{ region: 'eu-west-1', params: { HttpEndpoint: 'enabled' } }]);
    expect(account.values('eu-west-1')).toEqual({ HttpEndpoint: 'enabled', HttpTokens: 'required' });
  });

  test('a newly managed option is applied; its previous value was recorded at Create', async () => {
    account.region('eu-west-1', { values: { InstanceMetadataTags: 'enabled' } });
    const old = { HttpTokens: 'required', Regions: ['eu-west-1'] };
    const id = await created(old);
    const res = await handler(ev('Update', { ...old, InstanceMetadataTags: 'disabled' }, { OldResourceProperties: { ...old, RemovalPolicy: 'destroy' }, PhysicalResourceId: id }));
    expect(account.modifies).toEqual([{ region: 'eu-west-1', params: { InstanceMetadataTags: 'disabled' } }]);
    currentIs(res.PhysicalResourceId);
    account.modifies.length = 0;
    await handler(ev('Delete', { ...old, InstanceMetadataTags: 'disabled' }, { PhysicalResourceId: res.PhysicalResourceId }));
    expect(account.values('eu-west-1')).toEqual({ InstanceMetadataTags: 'enabled' });
  });

  test('a replayed Update changes nothing more', async () => {
    account.region('eu-west-1');
    const old = { HttpTokens: 'required', Regions: ['eu-west-1'] };
    const id = await created(old);
    const e = ev('Update', { ...old, HttpTokens: 'optional' }, { OldResourceProperties: { ...old, RemovalPolicy: 'destroy' }, PhysicalResourceId: id });
    const first = await handler(e);
    const second = await handler(e);
    expect(account.modifies).toHaveLength(1);
    expect(second).toEqual(first);
  });

  test('a failure in one Region rolls back what this Update changed', async () => {
    account.region('eu-west-1');
    account.region('us-east-1');
    const old = { HttpTokens: 'required', Regions: ['eu-west-1', 'us-east-1'] };
    const id = await created(old);
    account.regions.get('us-east-1')!.failModify = ['RequestLimitExceeded', 'Request limit exceeded.'];
    await expect(
      handler(ev('Update', { ...old, HttpTokens: 'optional' }, { OldResourceProperties: { ...old, RemovalPolicy: 'destroy' }, PhysicalResourceId: id })),
    ).rejects.toThrow('Region us-east-1: ModifyInstanceMetadataDefaults failed: RequestLimitExceeded: Request limit exceeded. Rolled back eu-west-1 to the values found before this request.');
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'required' });
  });

  test('switching to all Regions captures the new ones; a Region no longer enabled is forgotten', async () => {
    account.region('eu-west-1');
    account.region('me-south-1');
    const old = { HttpTokens: 'required', Regions: ['eu-west-1', 'me-south-1'] };
    const id = await created(old);
    account.regions.get('me-south-1')!.optInStatus = 'not-opted-in';
    account.region('us-east-1');
    const res = await handler(ev('Update', { HttpTokens: 'required', AllRegions: 'true' }, { OldResourceProperties: { ...old, RemovalPolicy: 'destroy' }, PhysicalResourceId: id }));
    expect(account.modifies).toEqual([{ region: 'us-east-1', params: { HttpTokens: 'required' } }]);
    expect([...decodeState(res.PhysicalResourceId)!.keys()].sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('old properties that were never valid count as managing nothing', async () => {
    account.region('eu-west-1', { values: { HttpEndpoint: 'enabled' } });
    const id = await created({ HttpTokens: 'required', Regions: ['eu-west-1'] });
    await handler(ev('Update', { HttpTokens: 'required', Regions: ['eu-west-1'] }, { OldResourceProperties: { HttpTokens: 'bogus' }, PhysicalResourceId: id }));
    expect(account.modifies).toEqual([]);
  });

  test('a failure to read back after applying names the Region', async () => {
    account.region('eu-west-1');
    let reads = 0;
    ec2Mock.on(GetInstanceMetadataDefaultsCommand).callsFake(async () => {
      if (++reads > 1) throw awsError('InternalError', 'try later');
      return { AccountLevel: {} };
    });
    await expect(handler(ev('Create', { HttpTokens: 'required', Regions: ['eu-west-1'] }))).rejects.toThrow(
      'Region eu-west-1: the settings were applied but GetInstanceMetadataDefaults failed when reading them back: InternalError: try later',
    );
  });

  test('an ID that records nothing is managed from now on, as a Create would', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    const res = await handler(ev('Update', { HttpTokens: 'required', Regions: ['eu-west-1'] }, { OldResourceProperties: {}, PhysicalResourceId: 'request-id' }));
    expect(decodeState(res.PhysicalResourceId)).toEqual(new Map([['eu-west-1', { HttpTokens: 'optional' }]]));
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'required' });
  });
});

describe('Delete', () => {
  test('DESTROY restores the managed options only, including no preference', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    const props = { HttpTokens: 'required', HttpPutResponseHopLimit: '2', Regions: ['eu-west-1'] };
    const { PhysicalResourceId: id } = await handler(ev('Create', props));
    account.values('eu-west-1').InstanceMetadataTags = 'enabled'; // someone else's setting
    account.modifies.length = 0;
    currentIs(id);
    await handler(ev('Delete', props, { PhysicalResourceId: id }));
    expect(account.modifies).toEqual([{ region: 'eu-west-1', params: { HttpTokens: 'optional', HttpPutResponseHopLimit: -1 } }]);
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'optional', InstanceMetadataTags: 'enabled' });
    expect(cfnMock.commandCalls(DescribeStackResourceCommand)[0].args[0].input).toEqual({ StackName: STACK_ID, LogicalResourceId: 'Defaults' });
  });

  test('a replayed Delete is harmless', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    const props = { HttpTokens: 'required', Regions: ['eu-west-1'] };
    const { PhysicalResourceId: id } = await handler(ev('Create', props));
    currentIs(id);
    await handler(ev('Delete', props, { PhysicalResourceId: id }));
    await handler(ev('Delete', props, { PhysicalResourceId: id }));
    expect(account.modifies).toHaveLength(2); // Create + first Delete
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'optional' });
  });

  test('RETAIN leaves the settings and calls nothing', async () => {
    account.region('eu-west-1');
    const props = { HttpTokens: 'required', Regions: ['eu-west-1'], RemovalPolicy: 'retain' };
    const { PhysicalResourceId: id } = await handler(ev('Create', props));
    ec2Mock.resetHistory();
    await handler(ev('Delete', props, { PhysicalResourceId: id }));
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(cfnMock.calls()).toHaveLength(0);
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'required' });
  });

  test('an ID from a Create that failed restores nothing', async () => {
    const res = await handler(ev('Delete', { HttpTokens: 'required', Regions: ['eu-west-1'] }, { PhysicalResourceId: 'fb2b1c1a-request-id' }));
    expect(res.PhysicalResourceId).toBe('fb2b1c1a-request-id');
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  test('the clean-up of a replaced ID restores nothing', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    const props = { HttpTokens: 'required', Regions: ['eu-west-1'] };
    const { PhysicalResourceId: id } = await handler(ev('Create', props));
    ec2Mock.resetHistory();
    currentIs('imds-defaults:1:onnnn=eu-west-1;nnnnn=us-east-1');
    await handler(ev('Delete', props, { PhysicalResourceId: id }));
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'required' });
  });

  test('when the stack cannot be asked, Delete fails and restores nothing', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    const props = { HttpTokens: 'required', Regions: ['eu-west-1'] };
    const { PhysicalResourceId: id } = await handler(ev('Create', props));
    cfnMock.on(DescribeStackResourceCommand).rejects(awsError('AccessDenied', 'not allowed'));
    await expect(handler(ev('Delete', props, { PhysicalResourceId: id }))).rejects.toThrow(
      'cannot tell whether Defaults is being deleted or replaced (DescribeStackResource failed: AccessDenied: not allowed); nothing was restored',
    );
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'required' });
  });

  test('a logical ID the stack no longer knows is a real deletion: restore', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    const props = { HttpTokens: 'required', Regions: ['eu-west-1'] };
    const { PhysicalResourceId: id } = await handler(ev('Create', props));
    cfnMock.on(DescribeStackResourceCommand).rejects(awsError('ValidationError', `Resource Defaults does not exist for stack ${STACK_ID}`));
    await handler(ev('Delete', props, { PhysicalResourceId: id }));
    expect(account.values('eu-west-1')).toEqual({ HttpTokens: 'optional' });
  });

  test('a declarative policy lock fails the Delete with its message', async () => {
    account.region('eu-west-1', { values: { HttpTokens: 'optional' } });
    const props = { HttpTokens: 'required', Regions: ['eu-west-1'] };
    const { PhysicalResourceId: id } = await handler(ev('Create', props));
    Object.assign(account.regions.get('eu-west-1')!, { managedBy: 'declarative-policy', managedExceptionMessage: 'Set by the security team' });
    currentIs(id);
    await expect(handler(ev('Delete', props, { PhysicalResourceId: id }))).rejects.toThrow(/Region eu-west-1: .*declarative policy.*"Set by the security team"/);
  });
});

describe('properties as CloudFormation passes them', () => {
  test.each([
    [{ HttpTokens: 'sometimes', Regions: ['eu-west-1'] }, /HttpTokens is "sometimes": allowed values are optional, required, no-preference/],
    [{ HttpPutResponseHopLimit: '65', Regions: ['eu-west-1'] }, /HttpPutResponseHopLimit is "65": allowed values are whole numbers from 1 to 64, or -1/],
    [{ HttpPutResponseHopLimit: 'two', Regions: ['eu-west-1'] }, /HttpPutResponseHopLimit is "two"/],
    [{ HttpEndpoint: 'on', Regions: ['eu-west-1'] }, /HttpEndpoint is "on": allowed values are enabled, disabled, no-preference/],
    [{ HttpTokens: 'required' }, /Regions is undefined: expected a non-empty list of Region names, or AllRegions 'true'/],
    [{ HttpTokens: 'required', Regions: ['eu-west-1', 'eu-west-1'] }, /Regions contains eu-west-1 twice/],
    [{ HttpTokens: 'required', Regions: ['moon-1'] }, /Regions contains "moon-1": expected a Region name/],
    [{ HttpTokens: 'required', AllRegions: 'yes' }, /AllRegions is "yes": the only allowed value is 'true'/],
    [{ HttpTokens: 'required', AllRegions: 'true', Regions: ['eu-west-1'] }, /give one or the other/],
    [{ Regions: ['eu-west-1'] }, /none of HttpTokens, .* is set: nothing to manage/],
    [{ HttpTokens: 'required', Regions: ['eu-west-1'], RemovalPolicy: 'snapshot' }, /RemovalPolicy is "snapshot": allowed values are destroy, retain/],
  ])('%j is refused', async (props, message) => {
    await expect(handler(ev('Create', props))).rejects.toThrow(message);
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  test('an unknown RequestType is refused', async () => {
    await expect(handler({ RequestType: 'Replace' as any, ResourceProperties: {} })).rejects.toThrow('RequestType is "Replace": expected Create, Update or Delete');
  });
});

describe('the physical ID holds the previous values of every Region', () => {
  // Every commercial Region (2026), every option set, and each Region different from the others.
  const COMMERCIAL = [
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2',
    'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1',
    'me-central-1', 'mx-central-1', 'sa-east-1',
  ];

  test(`${COMMERCIAL.length} Regions, all options set and all different, fit in 1 KB and round-trip`, () => {
    const found = new Map(
      COMMERCIAL.map((r, i) => [
        r,
        {
          HttpTokens: i % 2 ? 'required' : 'optional',
          HttpEndpoint: i % 4 < 2 ? 'enabled' : 'disabled',
          InstanceMetadataTags: i % 8 < 4 ? 'enabled' : 'disabled',
          HttpTokensEnforced: i % 16 < 8 ? 'enabled' : 'disabled',
          HttpPutResponseHopLimit: 64 - i,
        },
      ]),
    );
    const id = encodeState(found);
    expect(id.length).toBeLessThanOrEqual(1024);
    expect(decodeState(id)).toEqual(found);
    // Headroom for Regions still to come.
    expect(1024 - id.length).toBeGreaterThan(150);
  });

  test('a damaged ID of ours is reported, not guessed', () => {
    expect(() => decodeState('imds-defaults:1:rxnn2=eu-west-1')).toThrow(/is damaged: not a recorded value set: "rxnn2"/);
    expect(() => decodeState('imds-defaults:1:rnnn2')).toThrow(/has no '='/);
    expect(() => decodeState('imds-defaults:1:rnnn2=eu-west-1,eu-west-1')).toThrow(/repeated Region "eu-west-1"/);
    expect(() => decodeState('imds-defaults:1:rnnn99=eu-west-1')).toThrow(/hop limit 99 is outside 1-64/);
  });
});
