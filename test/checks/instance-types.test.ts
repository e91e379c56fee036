import { hypervisorOf } from '../../src/checks/instance-types';

describe('hypervisorOf', () => {
  test.each([
    // Xen families (FACTS §6)
    'm1.small', 'm2.xlarge', 'm3.medium', 'm4.large', 'm4.16xlarge', 't1.micro', 't2.micro', 't2.nano',
    'c1.medium', 'c3.large', 'c4.8xlarge', 'r3.large', 'r4.xlarge', 'x1.16xlarge', 'x1e.xlarge',
    'd2.xlarge', 'h1.2xlarge', 'i2.xlarge', 'i3.large', 'f1.2xlarge', 'g3.4xlarge', 'g3s.xlarge',
    'p2.xlarge', 'p3.2xlarge', 'cc2.8xlarge', 'cr1.8xlarge', 'cg1.4xlarge', 'g2.2xlarge', 'hi1.4xlarge',
    'hs1.8xlarge', 'T2.MICRO',
  ])('%s is Xen', (t) => expect(hypervisorOf(t)).toBe('xen'));

  test.each([
    'i3.metal', 'p3dn.24xlarge', 'a1.large', 't3.micro', 't3a.nano', 't4g.small', 'm5.large', 'm5zn.metal',
    'm6i.xlarge', 'm7g.medium', 'm7i-flex.large', 'm8g.large', 'c5.large', 'c5n.18xlarge', 'c6gn.medium',
    'c7i.large', 'r5.large', 'r5b.large', 'r7iz.large', 'r8g.large', 'i3en.large', 'i4i.large', 'i4g.large',
    'im4gn.large', 'is4gen.large', 'd3.xlarge', 'd3en.xlarge', 'x2gd.medium', 'x2iedn.xlarge', 'z1d.large',
    'g4dn.xlarge', 'g5.xlarge', 'g6e.xlarge', 'p4d.24xlarge', 'p5.48xlarge', 'inf1.xlarge', 'inf2.xlarge',
    'trn1.2xlarge', 'trn2.48xlarge', 'dl1.24xlarge', 'vt1.3xlarge', 'f2.12xlarge', 'hpc6a.48xlarge',
    'hpc7g.4xlarge', 'mac1.metal', 'mac2.metal', 'mac2-m2pro.metal', 'u-6tb1.metal', 'u-12tb1.112xlarge',
    'u7i-12tb.224xlarge', 'gr6.4xlarge',
  ])('%s is Nitro', (t) => expect(hypervisorOf(t)).toBe('nitro'));

  test.each(['', 'micro', 't3', 'foo.bar', 'c2.large', 'q9.large', '${Token[TOKEN.1]}', 't3.', '.micro'])(
    '%p cannot be placed',
    (t) => expect(hypervisorOf(t)).toBe('unknown'),
  );

  test('non-strings are unknown, never a throw', () => {
    expect(hypervisorOf(undefined as unknown as string)).toBe('unknown');
    expect(hypervisorOf(42 as unknown as string)).toBe('unknown');
  });
});
