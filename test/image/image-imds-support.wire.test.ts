/** The real bundled AMI handler against a local server speaking the EC2 Query protocol. */
import { BundledHandler } from '../support/bundled-handler';
import { Ec2QueryServer } from '../support/ec2-query-server';

let server: Ec2QueryServer;
let bundle: BundledHandler;

beforeAll(() => {
  bundle = new BundledHandler('assets/image/image-imds-support.lambda/index.js');
});
afterAll(() => bundle?.dispose());
beforeEach(async () => {
  server = new Ec2QueryServer();
  await server.start();
});
afterEach(async () => server?.stop());

test('the bundle resolves no @aws-sdk or @smithy package outside itself', async () => {
  const probe = await bundle.node(['-e', "try { require.resolve('@aws-sdk/client-ec2'); console.log('FOUND') } catch { console.log('missing') }"], bundle.env(server.url, 'eu-west-1'));
  expect(probe.stdout.trim()).toBe('missing');
});

test('Create sends ModifyImageAttribute with ImdsSupport.Value=v2.0 in the stack Region', async () => {
  server.images.set('ami-0123456789abcdef0', undefined);
  const res = await bundle.invoke({ RequestType: 'Create', ResourceProperties: { ServiceToken: 'x', ImageId: 'ami-0123456789abcdef0' } }, server.url, 'ap-southeast-2');
  expect(res).toEqual({ ok: { PhysicalResourceId: 'ami-0123456789abcdef0', Data: { ImageId: 'ami-0123456789abcdef0' } } });
  expect(server.requests.map((r) => [r.service, r.region, r.action, r.version, r.params])).toEqual([
    ['ec2', 'ap-southeast-2', 'ModifyImageAttribute', '2016-11-15', { 'ImageId': 'ami-0123456789abcdef0', 'ImdsSupport.Value': 'v2.0' }],
  ]);
  expect(server.images.get('ami-0123456789abcdef0')).toBe('v2.0');
});

test('throttling is retried', async () => {
  server.images.set('ami-0123456789abcdef0', undefined);
  let left = 2;
  server.imageErrors.set('ami-0123456789abcdef0', ['RequestLimitExceeded', 'Request limit exceeded.']);
  const original = server.imageErrors.get.bind(server.imageErrors);
  server.imageErrors.get = (k: string) => (left-- > 0 ? original(k) : undefined);
  const res = await bundle.invoke({ RequestType: 'Create', ResourceProperties: { ImageId: 'ami-0123456789abcdef0' } }, server.url);
  expect(res.error).toBeUndefined();
  expect(server.calls('ModifyImageAttribute')).toHaveLength(3);
  expect(server.images.get('ami-0123456789abcdef0')).toBe('v2.0');
});

test('an unknown AMI fails with the AWS error', async () => {
  const res = await bundle.invoke({ RequestType: 'Create', ResourceProperties: { ImageId: 'ami-0123456789abcdef0' } }, server.url);
  expect(res.error).toBe(
    "ImageId ami-0123456789abcdef0: ModifyImageAttribute (ImdsSupport v2.0) failed: InvalidAMIID.NotFound: The image id '[ami-0123456789abcdef0]' does not exist",
  );
});

test('Delete sends nothing: the mark cannot be removed', async () => {
  server.images.set('ami-0123456789abcdef0', 'v2.0');
  const res = await bundle.invoke({ RequestType: 'Delete', ResourceProperties: { ImageId: 'ami-0123456789abcdef0' }, PhysicalResourceId: 'ami-0123456789abcdef0' }, server.url);
  expect(res).toEqual({ ok: { PhysicalResourceId: 'ami-0123456789abcdef0' } });
  expect(server.requests).toEqual([]);
});
