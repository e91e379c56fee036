import { EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/image/image-imds-support.lambda';

const ec2Mock = mockClient(EC2Client);

beforeEach(() => {
  process.env.AWS_REGION = 'eu-west-1';
  ec2Mock.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('Create sets ImdsSupport v2.0 and returns the AMI ID', async () => {
  ec2Mock.on(ModifyImageAttributeCommand).resolves({});
  const res = await handler({ RequestType: 'Create', ResourceProperties: { ServiceToken: 'x', ImageId: 'ami-0123456789abcdef0' } });
  expect(ec2Mock.commandCalls(ModifyImageAttributeCommand).map((c) => c.args[0].input)).toEqual([
    { ImageId: 'ami-0123456789abcdef0', ImdsSupport: { Value: 'v2.0' } },
  ]);
  expect(res).toEqual({ PhysicalResourceId: 'ami-0123456789abcdef0', Data: { ImageId: 'ami-0123456789abcdef0' } });
});

test('Update to another AMI marks the new one (the old one stays marked: it cannot be undone)', async () => {
  ec2Mock.on(ModifyImageAttributeCommand).resolves({});
  const res = await handler({ RequestType: 'Update', ResourceProperties: { ImageId: 'ami-0fedcba9876543210' }, PhysicalResourceId: 'ami-0123456789abcdef0' });
  expect(ec2Mock.commandCalls(ModifyImageAttributeCommand)[0].args[0].input.ImageId).toBe('ami-0fedcba9876543210');
  expect(res.PhysicalResourceId).toBe('ami-0fedcba9876543210');
});

test('Delete calls nothing', async () => {
  const res = await handler({ RequestType: 'Delete', ResourceProperties: { ImageId: 'ami-0123456789abcdef0' }, PhysicalResourceId: 'ami-0123456789abcdef0' });
  expect(ec2Mock.calls()).toHaveLength(0);
  expect(res).toEqual({ PhysicalResourceId: 'ami-0123456789abcdef0' });
});

test('an AWS error names the AMI and the error', async () => {
  const e = new Error("The image id '[ami-0123456789abcdef0]' does not exist");
  e.name = 'InvalidAMIID.NotFound';
  ec2Mock.on(ModifyImageAttributeCommand).rejects(e);
  await expect(handler({ RequestType: 'Create', ResourceProperties: { ImageId: 'ami-0123456789abcdef0' } })).rejects.toThrow(
    "ImageId ami-0123456789abcdef0: ModifyImageAttribute (ImdsSupport v2.0) failed: InvalidAMIID.NotFound: The image id '[ami-0123456789abcdef0]' does not exist",
  );
});

test.each([{}, { ImageId: 'ami-XYZ' }, { ImageId: 42 }])('bad properties %j are refused before any call', async (props) => {
  await expect(handler({ RequestType: 'Create', ResourceProperties: props })).rejects.toThrow(/ImageId is .*: expected an AMI ID such as ami-0123456789abcdef0/);
  expect(ec2Mock.calls()).toHaveLength(0);
});

test('an unknown RequestType is refused', async () => {
  await expect(handler({ RequestType: 'Move' as any, ResourceProperties: {} })).rejects.toThrow('RequestType is "Move": expected Create, Update or Delete');
});
