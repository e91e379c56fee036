import { App, Aws, CfnParameter, Fn, Lazy, SecretValue, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { UNREAD_FUNCTION, readWithoutLazies } from '../../src/private/read-without-lazies';

const UNREAD = { [UNREAD_FUNCTION]: expect.any(String) };

function stack(): Stack {
  return new Stack(new App(), 'S');
}

/** A `Lazy.string` whose producer counts its calls and returns the value of `current()`. */
function counted(current: () => string) {
  const calls = { n: 0 };
  const token = Lazy.string({ produce: () => (calls.n++, current()) });
  return { token, calls };
}

describe('readWithoutLazies', () => {
  test('values without tokens are read as they are', () => {
    const s = stack();
    expect(readWithoutLazies(s, 'plain')).toBe('plain');
    expect(readWithoutLazies(s, { launchTemplateName: 'web', version: '1' })).toEqual({ launchTemplateName: 'web', version: '1' });
    expect(readWithoutLazies(s, undefined)).toBeUndefined();
  });

  test('references resolve as synthesis resolves them', () => {
    const s = stack();
    const lt = new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: {} });
    const p = new CfnParameter(s, 'P');
    expect(readWithoutLazies(s, { launchTemplateId: lt.ref, version: lt.attrLatestVersionNumber })).toEqual({
      launchTemplateId: { Ref: 'LT' }, version: { 'Fn::GetAtt': ['LT', 'LatestVersionNumber'] },
    });
    expect(readWithoutLazies(s, p.valueAsString)).toEqual({ Ref: 'P' });
    expect(readWithoutLazies(s, Aws.REGION)).toEqual({ Ref: 'AWS::Region' });
  });

  test('an L2 name attribute (a reference that depends on the consuming stack) resolves', () => {
    const s = stack();
    const cluster = new ecs.Cluster(s, 'Cluster', { vpc: new ec2.Vpc(s, 'Vpc') });
    expect(readWithoutLazies(s, `ECS_CLUSTER=${cluster.clusterName}`)).toEqual({ 'Fn::Join': ['', ['ECS_CLUSTER=', { Ref: 'ClusterEB0386A7' }]] });
  });

  test('intrinsics resolve, and a lazy inside them is not called: it stays unread, and later changes still deploy', () => {
    const s = stack();
    let value = 'early';
    const { token, calls } = counted(() => value);
    const read = readWithoutLazies(s, Fn.base64(`#!/bin/bash\necho ECS_CLUSTER=x\n${token}`));
    expect(read).toEqual({ 'Fn::Base64': { 'Fn::Join': ['', ['#!/bin/bash\necho ECS_CLUSTER=x\n', UNREAD]] } });
    expect(calls.n).toBe(0);
    value = 'late';
    expect(s.resolve(token)).toBe('late');
  });

  test('a lazy as a whole value, in an object, a list or a number is never called', () => {
    const s = stack();
    const { token, calls } = counted(() => 'x');
    const any = Lazy.any({ produce: () => (calls.n++, { Key: 'v' }) });
    const list = Lazy.list({ produce: () => (calls.n++, ['a']) });
    const num = Lazy.number({ produce: () => (calls.n++, 3) });
    expect(readWithoutLazies(s, token)).toEqual(UNREAD);
    expect(readWithoutLazies(s, { name: token, tags: any, ids: list, hop: num })).toEqual({ name: UNREAD, tags: UNREAD, ids: UNREAD, hop: UNREAD });
    expect(calls.n).toBe(0);
  });

  test('an uncached lazy is not called either: a token that is not a reference or intrinsic is never resolved', () => {
    const s = stack();
    let n = 0;
    expect(readWithoutLazies(s, Lazy.uncachedString({ produce: () => `${n++}` }))).toEqual(UNREAD);
    expect(n).toBe(0);
  });

  test('an intrinsic that refuses to resolve is unread, not an error', () => {
    const s = new Stack(new App({ context: { '@aws-cdk/core:checkSecretUsage': true } }), 'S');
    const secret = SecretValue.unsafePlainText('x');
    expect(() => s.resolve(secret)).toThrow(/SecretValue/);
    expect(readWithoutLazies(s, { password: secret })).toEqual({ password: UNREAD });
  });
});
