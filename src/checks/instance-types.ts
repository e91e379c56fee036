/**
 * Which EC2 instance types are built on the AWS Nitro System.
 *
 * Pure function over instance type strings: no aws-cdk-lib import, shared by
 * `ImdsLaunchTemplate` (construction-time checks) and the checker (IMDS004).
 *
 * Source: EC2 User Guide, "Instances built on the AWS Nitro System" (FACTS.md §6).
 * The IPv6 IMDS endpoint (`[fd00:ec2::254]`) is only served on Nitro instances.
 */

/** The three answers a check can give about an instance type's hypervisor. */
export type Hypervisor = 'nitro' | 'xen' | 'unknown';

/**
 * Families not built on Nitro (Xen), current and retired.
 * `g3s` is the G3 single-GPU size class and is Xen like `g3`.
 */
const XEN_FAMILIES: ReadonlySet<string> = new Set([
  // General purpose
  'm1', 'm2', 'm3', 'm4', 't1', 't2',
  // Compute optimized
  'c1', 'c3', 'c4',
  // Memory optimized
  'r3', 'r4', 'x1', 'x1e',
  // Storage optimized
  'd2', 'h1', 'i2', 'i3',
  // Accelerated computing
  'f1', 'g3', 'g3s', 'p2', 'p3',
  // Retired previous generation
  'cc1', 'cc2', 'cr1', 'cg1', 'g2', 'hi1', 'hs1',
]);

/** Whole instance types that are Nitro although their family is Xen. */
const NITRO_EXCEPTIONS: ReadonlySet<string> = new Set(['i3.metal']);

/**
 * Family prefixes this table knows, with the first generation of that prefix that is Nitro.
 * A family whose generation is at or above the threshold and is not in XEN_FAMILIES is Nitro;
 * any family with a prefix not listed here is unknown ("cannot verify").
 */
const NITRO_FROM_GENERATION: ReadonlyMap<string, number> = new Map([
  ['a', 1], // a1
  ['c', 5], // c5, c5n, c6g, c7i, c8g, ...
  ['d', 3], // d3, d3en
  ['dl', 1], // dl1, dl2q
  ['f', 2], // f2
  ['g', 4], // g4dn, g4ad, g5, g5g, g6, g6e, ...
  ['gr', 6], // gr6
  ['hpc', 6], // hpc6a, hpc6id, hpc7a, hpc7g
  ['i', 3], // i3en (i3 itself is Xen: listed above), i4i, i4g, i7i, i8g, ...
  ['im', 4], // im4gn
  ['inf', 1], // inf1, inf2
  ['is', 4], // is4gen
  ['m', 5], // m5, m5zn, m6i, m7g, m8g, ...
  ['p', 3], // p3dn (p3 itself is Xen: listed above), p4d, p5, ...
  ['r', 5], // r5, r5b, r6i, r7iz, r8g, ...
  ['t', 3], // t3, t3a, t4g
  ['trn', 1], // trn1, trn1n, trn2
  ['u', 1], // u-6tb1, u7i-12tb, ... (handled below)
  ['vt', 1], // vt1
  ['x', 2], // x2gd, x2idn, x2iedn, x2iezn, x8g (x1, x1e are Xen)
  ['z', 1], // z1d
]);

/** `family.size`, where the family is a prefix, a generation and optional suffix letters/dashes. */
const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z0-9-]*)\.([a-z0-9-]+)$/;

/**
 * Tell whether an instance type such as `t3.micro` is built on Nitro.
 *
 * @returns `'nitro'`, `'xen'`, or `'unknown'` for anything this table cannot place
 *          (a malformed string, an unfamiliar family): never a guess.
 */
export function hypervisorOf(instanceType: string): Hypervisor {
  if (typeof instanceType !== 'string') return 'unknown';
  let known = CACHE.get(instanceType);
  if (known === undefined) {
    known = classify(instanceType);
    if (CACHE.size < 10_000) CACHE.set(instanceType, known);
  }
  return known;
}

const CACHE = new Map<string, Hypervisor>();

function classify(instanceType: string): Hypervisor {
  const type = instanceType.trim().toLowerCase();
  if (NITRO_EXCEPTIONS.has(type)) return 'nitro';
  // High memory ("u-6tb1.metal", "u-12tb1.112xlarge") and Mac ("mac1.metal", "mac2-m2pro.metal").
  if (/^u-\d+tb\d+\.[a-z0-9]+$/.test(type)) return 'nitro';
  if (/^u7i[a-z0-9-]*\.[a-z0-9]+$/.test(type)) return 'nitro';
  if (/^mac(\d+)?(-[a-z0-9]+)*\.metal$/.test(type)) return 'nitro';
  const m = INSTANCE_TYPE.exec(type);
  if (!m) return 'unknown';
  const [, prefix, generationText, suffix] = m;
  const family = `${prefix}${generationText}${suffix}`;
  if (XEN_FAMILIES.has(family)) return 'xen';
  const firstNitro = NITRO_FROM_GENERATION.get(prefix);
  if (firstNitro === undefined) return 'unknown';
  const generation = Number(generationText);
  // Below the threshold only families no table lists remain (e.g. "c2"): not a type we know.
  return generation >= firstNitro ? 'nitro' : 'unknown';
}

/** A readable list of the Xen families, for messages. */
export function xenFamiliesText(): string {
  return [...XEN_FAMILIES].join(', ');
}
