/**
 * The reads of aws-cdk-lib members that are not public, each in src/validation/cdk-internals.ts.
 * These tests fail when aws-cdk-lib (or jsii) changes under one of them; the rendering read is
 * tested in imds-checks-synthesis.test.ts.
 */
import { Annotations, App, Fn, Lazy, Stack, Tokenization, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgedWarnings, hasJsiiType } from '../../src/validation/cdk-internals';

describe('acknowledgedWarnings: the register of Annotations.acknowledgeWarning', () => {
  test('this aws-cdk-lib keeps it where the adapter reads it: IDs by construct path, inherited by children', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const parent = new Construct(stack, 'Parent');
    const child = new Construct(parent, 'Child');
    const other = new Construct(stack, 'Other');
    Annotations.of(parent).acknowledgeWarning('IMDS011', 'containers do not use IMDS');

    const register = acknowledgedWarnings(child);
    expect(register).toBeDefined();
    expect(register!.idsAt('Stack/Parent')).toEqual(['IMDS011']);
    expect(register!.idsAt('Stack/Parent/Child')).toEqual([]);
    expect(register!.has(child, 'IMDS011')).toBe(true);
    expect(register!.has(other, 'IMDS011')).toBe(false);
    expect(register!.has(child, 'IMDS001')).toBe(false);
  });
});

describe('hasJsiiType: the jsii type name of a class', () => {
  test('aws-cdk-lib classes carry their jsii type names, base classes included', () => {
    const stack = new Stack(new App(), 'Stack');
    const template = new ec2.LaunchTemplate(stack, 'Template');
    expect(hasJsiiType(template, 'aws-cdk-lib.aws_ec2.LaunchTemplate')).toBe(true);
    expect(hasJsiiType(template, 'aws-cdk-lib.Resource')).toBe(true);
    expect(hasJsiiType(template, 'aws-cdk-lib.aws_ec2.Instance')).toBe(false);
    expect(hasJsiiType(template.node.defaultChild!, 'aws-cdk-lib.aws_ec2.CfnLaunchTemplate')).toBe(true);
  });

  test('intrinsic tokens are aws-cdk-lib.Intrinsic, references included; Lazy tokens are not (read-without-lazies.ts tells them apart so)', () => {
    const stack = new Stack(new App(), 'Stack');
    const template = new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: {} });
    expect(hasJsiiType(Tokenization.reverse(Fn.base64('x'))!, 'aws-cdk-lib.Intrinsic')).toBe(true);
    expect(hasJsiiType(Tokenization.reverse(template.ref)!, 'aws-cdk-lib.Intrinsic')).toBe(true);
    expect(hasJsiiType(Tokenization.reverse(Lazy.string({ produce: () => 'x' }))!, 'aws-cdk-lib.Intrinsic')).toBe(false);
    expect(hasJsiiType(Tokenization.reverse(Lazy.any({ produce: () => 'x' }))!, 'aws-cdk-lib.Intrinsic')).toBe(false);
  });
});
