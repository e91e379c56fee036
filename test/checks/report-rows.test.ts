import { runChecks } from '../../src/checks/check';

/** The report rows of a template, as option -> "values (sources)". */
function rows(resources: Record<string, unknown>) {
  const result = runChecks([{ path: 't.json', template: { Resources: resources } }]);
  return { result, text: Object.fromEntries(result.launches.map((l) => [l.logicalId, Object.fromEntries(l.values.map((v) => [v.option, `${v.values.join(' | ')} (${v.sources.join(', ')})`]))])) };
}

const instance = (options?: Record<string, unknown>) => ({
  Type: 'AWS::EC2::Instance',
  Properties: { InstanceType: 't3.micro', ImageId: 'ami-1', ...(options ? { MetadataOptions: options } : {}) },
});

describe('report rows', () => {
  test('launches with the same value from the same source share one entry; another source gets its own', () => {
    const { result, text } = rows({
      A: instance({ HttpTokens: 'required' }),
      B: instance({ HttpTokens: 'required' }),
      C: instance({ HttpTokens: 'optional' }),
      D: instance(),
    });
    expect(text.A).toEqual({
      HttpTokens: 'required (launch)',
      HttpPutResponseHopLimit: '1 (AWS default)',
      HttpEndpoint: 'enabled (AWS default)',
      HttpProtocolIpv6: 'disabled (AWS default)',
      InstanceMetadataTags: 'disabled (AWS default)',
    });
    expect(text.B).toEqual(text.A);
    expect(text.C.HttpTokens).toBe('optional (launch)');
    expect(text.D.HttpTokens).toBe('optional (AWS default)');

    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((id) => result.launches.find((l) => l.logicalId === id)!.values);
    // Each option in its place, once.
    for (const values of [a, b, c, d]) expect(values.map((v) => v.option)).toEqual(['HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint', 'HttpProtocolIpv6', 'InstanceMetadataTags']);
    expect(b[0]).toBe(a[0]);
    expect(c[0]).not.toBe(a[0]);
    expect(d[0]).not.toBe(c[0]);
    // The AWS defaults are one entry for every launch.
    for (let o = 1; o < 5; o++) expect(new Set([a[o], b[o], c[o], d[o]]).size).toBe(1);
  });

  test('a value that differs between variants lists every value and source', () => {
    const { text } = rows({
      Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } } },
      Fleet: {
        Type: 'AWS::EC2::EC2Fleet',
        Properties: {
          TargetCapacitySpecification: { TotalTargetCapacity: 2 },
          LaunchTemplateConfigs: [
            {
              LaunchTemplateSpecification: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' },
              Overrides: [{ InstanceType: 't3.micro' }, { InstanceType: 'm5.large', MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2 } }],
            },
          ],
        },
      },
    });
    expect(text.Fleet.HttpTokens).toBe('required | optional (launch)');
    expect(text.Fleet.HttpPutResponseHopLimit).toBe('1 | 2 (AWS default, launch)');
  });

  test('finding messages are kept whole', () => {
    const { result } = rows({ Open: instance({ HttpTokens: 'optional' }) });
    expect(result.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^IMDS001: AWS::EC2::Instance Open does not require IMDSv2: HttpTokens is "optional"/)]);
    expect(result.launches[0].findings).toEqual(result.findings);
  });
});
