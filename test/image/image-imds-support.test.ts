import { App, CfnParameter, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ImageImdsSupport } from '../../src';

function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111122223333', region: 'eu-west-1' } });
}

describe('ImageImdsSupport', () => {
  test('renders Custom::ImageImdsSupport with ImageId, kept on delete only by being irreversible', () => {
    const s = stack();
    new ImageImdsSupport(s, 'Image', { imageId: 'ami-0123456789abcdef0' });
    const t = Template.fromStack(s);
    t.resourceCountIs('Custom::ImageImdsSupport', 1);
    t.hasResourceProperties('Custom::ImageImdsSupport', { ServiceToken: Match.anyValue(), ImageId: 'ami-0123456789abcdef0' });
  });

  test('machineImage gives Fn::GetAtt [resource, ImageId], so a launch depends on the mark', () => {
    const s = stack();
    const image = new ImageImdsSupport(s, 'Image', { imageId: 'ami-0123456789abcdef0' });
    const logicalId = s.getLogicalId(image.node.findChild('Resource').node.defaultChild as any);
    const config = image.machineImage.getImage(s);
    expect(s.resolve(config.imageId)).toEqual({ 'Fn::GetAtt': [logicalId, 'ImageId'] });
    expect(config.osType).toBe(ec2.OperatingSystemType.LINUX);
    expect(s.resolve(image.attrImageId)).toEqual({ 'Fn::GetAtt': [logicalId, 'ImageId'] });

    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
    new ec2.Instance(s, 'Instance', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: image.machineImage });
    Template.fromStack(s).hasResourceProperties('AWS::EC2::Instance', { ImageId: { 'Fn::GetAtt': [logicalId, 'ImageId'] } });
  });

  test('Windows AMIs keep Windows user data', () => {
    const s = stack();
    const image = new ImageImdsSupport(s, 'Image', { imageId: 'ami-0123abcd', osType: ec2.OperatingSystemType.WINDOWS });
    const config = image.machineImage.getImage(s);
    expect(config.osType).toBe(ec2.OperatingSystemType.WINDOWS);
    expect(config.userData.render()).toContain('<powershell>');
  });

  test('the role may modify exactly this AMI', () => {
    const s = stack();
    new ImageImdsSupport(s, 'A', { imageId: 'ami-0123456789abcdef0' });
    new ImageImdsSupport(s, 'B', { imageId: 'ami-0fedcba9876543210' });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::Lambda::Function', 2); // one shared handler + the provider framework
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x' });
    const arn = (id: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:eu-west-1::image/${id}`]] });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'ec2:ModifyImageAttribute', Effect: 'Allow', Resource: arn('ami-0123456789abcdef0') },
          { Action: 'ec2:ModifyImageAttribute', Effect: 'Allow', Resource: arn('ami-0fedcba9876543210') },
        ]),
      },
    });
  });

  test('a malformed AMI ID is refused; a token is accepted', () => {
    const s = stack();
    expect(() => new ImageImdsSupport(s, 'Bad', { imageId: 'ami-xyz' })).toThrow('imageId is "ami-xyz": expected an AMI ID such as ami-0123456789abcdef0');
    const ami = new CfnParameter(s, 'Ami', { type: 'AWS::EC2::Image::Id' });
    const image = new ImageImdsSupport(s, 'Token', { imageId: ami.valueAsString });
    expect(image.attrImageId).toBeDefined();
    Template.fromStack(s).hasResourceProperties('Custom::ImageImdsSupport', { ImageId: { Ref: 'Ami' } });
  });
});
