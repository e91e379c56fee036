import { Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
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
