import { Stack, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ImdsMetadataOptions } from '../src';

describe('ImdsMetadataOptions.secureDefaults', () => {
  test('instances: tokens required, hop limit 1, endpoint on, IPv6 and tags off', () => {
    expect(ImdsMetadataOptions.secureDefaults()).toEqual({
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      httpEndpoint: true,
      httpProtocolIpv6: false,
      instanceMetadataTags: false,
    });
  });
  test('container hosts get hop limit 2', () => {
    expect(ImdsMetadataOptions.secureDefaults({ containerHost: true }).httpPutResponseHopLimit).toBe(2);
  });
});

describe('ImdsMetadataOptions.validate', () => {
  test('valid options give no errors', () => {
    expect(ImdsMetadataOptions.validate(ImdsMetadataOptions.secureDefaults())).toEqual([]);
    expect(ImdsMetadataOptions.validate({})).toEqual([]);
    expect(ImdsMetadataOptions.validate({ httpPutResponseHopLimit: 64, httpProtocolIpv6: true })).toEqual([]);
  });

  test.each([0, 65, -1, 1.5, Number.NaN])('hop limit %p is refused with prop, value and range', (hop) => {
    const [error, ...rest] = ImdsMetadataOptions.validate({ httpPutResponseHopLimit: hop }, 'props.');
    expect(rest).toEqual([]);
    expect(error).toContain(`props.httpPutResponseHopLimit is ${hop}`);
    expect(error).toContain('from 1 to 64');
  });

  test('IPv6 endpoint needs the endpoint on', () => {
    expect(ImdsMetadataOptions.validate({ httpProtocolIpv6: true, httpEndpoint: false })).toEqual([
      expect.stringMatching(/httpProtocolIpv6 is true while httpEndpoint is false/),
    ]);
  });

  test('an unknown httpTokens value is named', () => {
    const errors = ImdsMetadataOptions.validate({ httpTokens: 'sometimes' as ec2.LaunchTemplateHttpTokens });
    expect(errors).toEqual([expect.stringContaining('httpTokens is "sometimes"')]);
  });

  test('tokens are not judged', () => {
    expect(ImdsMetadataOptions.validate({ httpPutResponseHopLimit: Token.asNumber({ Ref: 'Hop' }) })).toEqual([]);
    expect(
      ImdsMetadataOptions.validate({ httpTokens: Token.asString({ Ref: 'Tokens' }) as ec2.LaunchTemplateHttpTokens }),
    ).toEqual([]);
  });
});

describe('ImdsMetadataOptions.toCloudFormation', () => {
  test('renders every option in the CloudFormation shape', () => {
    expect(ImdsMetadataOptions.toCloudFormation({
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: 2,
      httpEndpoint: true,
      httpProtocolIpv6: false,
      instanceMetadataTags: true,
    })).toEqual({
      httpTokens: 'required',
      httpPutResponseHopLimit: 2,
      httpEndpoint: 'enabled',
      httpProtocolIpv6: 'disabled',
      instanceMetadataTags: 'enabled',
    });
  });
  test('leaves out what is not set', () => {
    expect(ImdsMetadataOptions.toCloudFormation({ httpEndpoint: false })).toEqual({
      httpTokens: undefined,
      httpPutResponseHopLimit: undefined,
      httpEndpoint: 'disabled',
      httpProtocolIpv6: undefined,
      instanceMetadataTags: undefined,
    });
  });
});

describe('ImdsMetadataOptions.forInstance and forLaunchTemplate', () => {
  const options = {
    httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
    httpPutResponseHopLimit: 2,
    httpEndpoint: true,
    httpProtocolIpv6: false,
    instanceMetadataTags: false,
  };
  const cfn = {
    HttpTokens: 'required',
    HttpPutResponseHopLimit: 2,
    HttpEndpoint: 'enabled',
    HttpProtocolIpv6: 'disabled',
    InstanceMetadataTags: 'disabled',
  };

  test('forInstance renders the MetadataOptions of an AWS::EC2::Instance', () => {
    const stack = new Stack();
    new ec2.CfnInstance(stack, 'Server', { imageId: 'ami-12345678', metadataOptions: ImdsMetadataOptions.forInstance(options) });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', { MetadataOptions: cfn });
  });

  test('forLaunchTemplate renders the MetadataOptions of an AWS::EC2::LaunchTemplate', () => {
    const stack = new Stack();
    new ec2.CfnLaunchTemplate(stack, 'Template', {
      launchTemplateData: { metadataOptions: ImdsMetadataOptions.forLaunchTemplate(options) },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: cfn } });
  });

  test('options left out stay out of the template', () => {
    const stack = new Stack();
    new ec2.CfnInstance(stack, 'Server', {
      imageId: 'ami-12345678',
      metadataOptions: ImdsMetadataOptions.forInstance({ httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED }),
    });
    const [instance] = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Instance'));
    expect(instance.Properties.MetadataOptions).toEqual({ HttpTokens: 'required' });
  });

  test('the deprecated toCloudFormation renders as forLaunchTemplate does', () => {
    expect(ImdsMetadataOptions.toCloudFormation(options)).toEqual(ImdsMetadataOptions.forLaunchTemplate(options));
    expect(ImdsMetadataOptions.forInstance(options)).toEqual(ImdsMetadataOptions.forLaunchTemplate(options));
  });
});
