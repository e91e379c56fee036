import { App, CfnParameter, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  DefaultHopLimit,
  DefaultHttpEndpoint,
  DefaultHttpTokens,
  DefaultHttpTokensEnforced,
  DefaultInstanceMetadataTags,
  DefaultsRegions,
  InstanceMetadataDefaults,
} from '../../src';

const ENV = { account: '111122223333', region: 'eu-west-1' };

/** A stack in `app`; `null` for an environment-agnostic one. */
function stack(env: { account?: string; region?: string } | null = ENV, app = new App()): Stack {
  return new Stack(app, `S${app.node.children.length}`, { env: env ?? undefined });
}

describe('InstanceMetadataDefaults resource', () => {
  test('renders only the options set, the stack Region and destroy by default', () => {
    const s = stack(null);
    new InstanceMetadataDefaults(s, 'Defaults', { httpTokens: DefaultHttpTokens.REQUIRED });
    const t = Template.fromStack(s);
    t.resourceCountIs('Custom::InstanceMetadataDefaults', 1);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', {
      ServiceToken: Match.anyValue(),
      HttpTokens: 'required',
      HttpPutResponseHopLimit: Match.absent(),
      HttpEndpoint: Match.absent(),
      InstanceMetadataTags: Match.absent(),
      HttpTokensEnforced: Match.absent(),
      Regions: [{ Ref: 'AWS::Region' }],
      AllRegions: Match.absent(),
      RemovalPolicy: 'destroy',
    });
    t.hasResource('Custom::InstanceMetadataDefaults', { DeletionPolicy: 'Delete' });
  });

  test('renders every option, no preference included', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'Defaults', {
      httpTokens: DefaultHttpTokens.NO_PREFERENCE,
      httpPutResponseHopLimit: DefaultHopLimit.NO_PREFERENCE,
      httpEndpoint: DefaultHttpEndpoint.DISABLED,
      instanceMetadataTags: DefaultInstanceMetadataTags.ENABLED,
      httpTokensEnforced: DefaultHttpTokensEnforced.NO_PREFERENCE,
    });
    Template.fromStack(s).hasResourceProperties('Custom::InstanceMetadataDefaults', {
      HttpTokens: 'no-preference',
      HttpPutResponseHopLimit: -1,
      HttpEndpoint: 'disabled',
      InstanceMetadataTags: 'enabled',
      HttpTokensEnforced: 'no-preference',
      Regions: ['eu-west-1'],
    });
  });

  test('hop limit of(2) renders 2; a token hop limit passes through', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'A', { httpPutResponseHopLimit: DefaultHopLimit.of(2), regions: DefaultsRegions.of(['us-east-1']) });
    const token = new CfnParameter(s, 'Hops', { type: 'Number' }).valueAsNumber;
    new InstanceMetadataDefaults(s, 'B', { httpPutResponseHopLimit: DefaultHopLimit.of(token), regions: DefaultsRegions.of(['us-east-2']) });
    const t = Template.fromStack(s);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { HttpPutResponseHopLimit: 2, Regions: ['us-east-1'] });
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { HttpPutResponseHopLimit: { Ref: 'Hops' }, Regions: ['us-east-2'] });
  });

  test('a Region list and all enabled Regions', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'List', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.of(['us-east-1', 'ap-southeast-7']) });
    // a different account, so no overlap
    const other = new Stack(s.node.root as App, 'Other', { env: { account: '444455556666', region: 'eu-west-1' } });
    new InstanceMetadataDefaults(other, 'All', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.allEnabled() });
    Template.fromStack(s).hasResourceProperties('Custom::InstanceMetadataDefaults', { Regions: ['us-east-1', 'ap-southeast-7'], AllRegions: Match.absent() });
    Template.fromStack(other).hasResourceProperties('Custom::InstanceMetadataDefaults', { Regions: Match.absent(), AllRegions: 'true' });
  });

  test('RETAIN keeps the settings: DeletionPolicy Retain and RemovalPolicy retain', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'Defaults', { httpTokens: DefaultHttpTokens.REQUIRED, removalPolicy: RemovalPolicy.RETAIN });
    const t = Template.fromStack(s);
    t.hasResource('Custom::InstanceMetadataDefaults', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { RemovalPolicy: 'retain' });
  });

  test('attributes are the custom resource attributes', () => {
    const s = stack();
    const d = new InstanceMetadataDefaults(s, 'Defaults', { httpTokens: DefaultHttpTokens.REQUIRED });
    const id = s.getLogicalId(d.node.findChild('Resource').node.defaultChild as any);
    expect(s.resolve(d.attrHttpTokens)).toEqual({ 'Fn::GetAtt': [id, 'HttpTokens'] });
    expect(s.resolve(d.attrHttpPutResponseHopLimit)).toEqual({ 'Fn::GetAtt': [id, 'HttpPutResponseHopLimit'] });
    expect(s.resolve(d.attrHttpEndpoint)).toEqual({ 'Fn::GetAtt': [id, 'HttpEndpoint'] });
    expect(s.resolve(d.attrInstanceMetadataTags)).toEqual({ 'Fn::GetAtt': [id, 'InstanceMetadataTags'] });
    expect(s.resolve(d.attrHttpTokensEnforced)).toEqual({ 'Fn::GetAtt': [id, 'HttpTokensEnforced'] });
    expect(s.resolve(d.attrManagedBy)).toEqual({ 'Fn::GetAtt': [id, 'ManagedBy'] });
    expect(s.resolve(d.attrRegion)).toEqual({ 'Fn::GetAtt': [id, 'Region'] });
    expect(s.resolve(d.attrRegions)).toEqual({ 'Fn::GetAtt': [id, 'Regions'] });
  });
});

describe('InstanceMetadataDefaults provider and role', () => {
  test('handlerRole is the one role shared by the stack\'s defaults, the role the handler runs as', () => {
    const s = stack();
    const a = new InstanceMetadataDefaults(s, 'A', { httpTokens: DefaultHttpTokens.REQUIRED });
    const b = new InstanceMetadataDefaults(s, 'B', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.of(['us-east-1']) });
    expect(a.handlerRole).toBe(b.handlerRole);
    const roleArn = s.resolve(a.handlerRole.roleArn);
    expect(roleArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const roleId = roleArn['Fn::GetAtt'][0];
    const functions = Template.fromStack(s).findResources('AWS::Lambda::Function', { Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } } });
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(1);
  });

  test('one provider per stack, Node.js 24, shared by every InstanceMetadataDefaults', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'A', { httpTokens: DefaultHttpTokens.REQUIRED });
    new InstanceMetadataDefaults(s, 'B', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.of(['us-east-1']) });
    const t = Template.fromStack(s);
    // our handler + the provider framework's function
    t.resourceCountIs('AWS::Lambda::Function', 2);
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 300 });
    expect(s.node.tryFindChild('CdkImdsInstanceMetadataDefaultsProvider')).toBeDefined();
  });

  test('the role may read and modify the defaults only in the managed Regions, and read its own stack resource', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'A', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.of(['us-east-1', 'eu-central-1']) });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['ec2:GetInstanceMetadataDefaults', 'ec2:ModifyInstanceMetadataDefaults'],
            Effect: 'Allow',
            Resource: '*',
            Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-central-1'] } },
          },
          { Action: 'cloudformation:DescribeStackResource', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
        ]),
      },
    });
    expect(JSON.stringify(t.toJSON())).not.toContain('ec2:DescribeRegions');
  });

  test('the stack Region by default restricts the role to AWS::Region', () => {
    const s = stack(null);
    new InstanceMetadataDefaults(s, 'A', { httpTokens: DefaultHttpTokens.REQUIRED });
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Condition: { StringEquals: { 'aws:RequestedRegion': [{ Ref: 'AWS::Region' }] } } }),
        ]),
      },
    });
  });

  test('DescribeRegions is granted only with all Regions', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'A', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.allEnabled() });
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['ec2:GetInstanceMetadataDefaults', 'ec2:ModifyInstanceMetadataDefaults', 'ec2:DescribeRegions'],
            Effect: 'Allow',
            Resource: '*',
          },
        ]),
      },
    });
  });
});

describe('InstanceMetadataDefaults validation', () => {
  test.each([0, 65, 1.5, -1])('hop limit %p is refused, naming the prop and the range', (n) => {
    expect(() => DefaultHopLimit.of(n)).toThrow(new RegExp(`httpPutResponseHopLimit is ${n}: it must be a whole number from 1 to 64`));
  });

  test('misuse is reported as the message alone, without a call stack', () => {
    let err: Error | undefined;
    try {
      DefaultHopLimit.of(0);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe('ImdsConfigurationError');
    expect(err?.stack).toBe(`ImdsConfigurationError: ${err?.message}`);
  });

  test('hop limits 1 and 64 are accepted', () => {
    expect(DefaultHopLimit.of(1).hops).toBe(1);
    expect(DefaultHopLimit.of(64).hops).toBe(64);
    expect(DefaultHopLimit.NO_PREFERENCE.hops).toBeUndefined();
  });

  test('an InstanceMetadataDefaults that sets nothing is refused', () => {
    const s = stack();
    expect(() => new InstanceMetadataDefaults(s, 'Empty')).toThrow(/S0\/Empty sets nothing: set at least one of httpTokens, httpPutResponseHopLimit/);
    expect(() => new InstanceMetadataDefaults(s, 'Empty2', { regions: DefaultsRegions.allEnabled() })).toThrow(/sets nothing/);
  });

  test('Region lists: empty, token, token element, bad name, duplicate', () => {
    expect(() => DefaultsRegions.of([])).toThrow(/regions is an empty list/);
    expect(() => DefaultsRegions.of(Token.asList({ Ref: 'Regions' }))).toThrow(/regions is a token list: give the Region names literally/);
    expect(() => DefaultsRegions.of(['us-east-1', Token.asString({ Ref: 'AWS::Region' })])).toThrow(/regions contains a token .*DefaultsRegions.stackRegion\(\)/);
    expect(() => DefaultsRegions.of(['us-east-1', 'Europe'])).toThrow(/regions contains "Europe": expected a Region name such as us-east-1/);
    expect(() => DefaultsRegions.of(['us-east-1', 'eu-west-1', 'us-east-1'])).toThrow(/regions contains us-east-1 more than once/);
  });

  test('removal policies other than DESTROY and RETAIN are refused', () => {
    const s = stack();
    expect(() => new InstanceMetadataDefaults(s, 'D', { httpTokens: DefaultHttpTokens.REQUIRED, removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
      /removalPolicy is RemovalPolicy.SNAPSHOT: allowed values are RemovalPolicy.DESTROY .* and RemovalPolicy.RETAIN/,
    );
  });

  test('enforcement without required tokens is a warning with an id', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'D', { httpTokensEnforced: DefaultHttpTokensEnforced.ENABLED });
    Annotations.fromStack(s).hasWarning('/S0/D', Match.stringLikeRegexp('httpTokensEnforced is ENABLED while httpTokens is not managed.*DefaultHttpTokens.REQUIRED'));
    const s2 = stack(ENV, new App());
    new InstanceMetadataDefaults(s2, 'D', { httpTokens: DefaultHttpTokens.REQUIRED, httpTokensEnforced: DefaultHttpTokensEnforced.ENABLED });
    Annotations.fromStack(s2).hasNoWarning('/S0/D', Match.anyValue());
  });
});

describe('InstanceMetadataDefaults overlaps in one app', () => {
  test('two for the same Region in one stack', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'A', { httpTokens: DefaultHttpTokens.REQUIRED });
    new InstanceMetadataDefaults(s, 'B', { httpEndpoint: DefaultHttpEndpoint.ENABLED, regions: DefaultsRegions.of(['eu-west-1', 'us-east-1']) });
    expect(() => (s.node.root as App).synth()).toThrow(/InstanceMetadataDefaults S0\/A and S0\/B both manage the defaults of account 111122223333 in eu-west-1/);
  });

  test('all Regions against one Region in another stack of the same account', () => {
    const app = new App();
    const a = stack(ENV, app);
    const b = stack({ account: ENV.account, region: 'us-east-1' }, app);
    new InstanceMetadataDefaults(a, 'All', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.allEnabled() });
    new InstanceMetadataDefaults(b, 'One', { httpTokens: DefaultHttpTokens.REQUIRED });
    expect(() => app.synth()).toThrow(/S0\/All and S1\/One both manage the defaults of account 111122223333 in us-east-1/);
  });

  test('two environment-agnostic stacks are taken to share account and Region', () => {
    const app = new App();
    new InstanceMetadataDefaults(stack(null, app), 'A', { httpTokens: DefaultHttpTokens.REQUIRED });
    new InstanceMetadataDefaults(stack(null, app), 'B', { httpTokens: DefaultHttpTokens.REQUIRED });
    expect(() => app.synth()).toThrow(/both manage the defaults .*environment-agnostic.*unless given an env/);
  });

  test('different Regions or different accounts do not overlap', () => {
    const app = new App();
    new InstanceMetadataDefaults(stack(ENV, app), 'A', { httpTokens: DefaultHttpTokens.REQUIRED });
    new InstanceMetadataDefaults(stack({ account: ENV.account, region: 'us-east-1' }, app), 'B', { httpTokens: DefaultHttpTokens.REQUIRED });
    new InstanceMetadataDefaults(stack({ account: '444455556666', region: 'eu-west-1' }, app), 'C', {
      httpTokens: DefaultHttpTokens.REQUIRED,
      regions: DefaultsRegions.allEnabled(),
    });
    expect(() => app.synth()).not.toThrow();
  });
});
