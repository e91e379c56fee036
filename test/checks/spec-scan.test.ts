/**
 * Every CloudFormation resource type that carries instance metadata options or an IMDS switch is
 * one the checker reads, or one it leaves out on purpose, with the reason.
 *
 * The source is the jsii assembly aws-cdk-lib ships (`.jsii.gz`): each L1 class (`Cfn*`) names
 * its resource type (`docs.custom.cloudformationResource`), its props struct is `<class>Props`,
 * and property types name the structs they use by `fqn`, so nested property types are followed
 * to any depth. Free-form properties (a JSON document, a list of option settings) are not
 * structs: the IMDS settings inside them (an EMR security configuration, Elastic Beanstalk's
 * `aws:autoscaling:launchconfiguration` `DisableIMDSv1`) cannot be found this way, and their
 * readers are covered by test/checks/services.test.ts instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { KINDS } from '../../src/checks/launches';

/** Property names that are metadata options or an IMDS switch. */
const IMDS_PROPERTY = /metadataoptions|imds|instancemetadata|httptokens|minimuminstancemetadataserviceversion/i;

/**
 * Resource types with such a property that the checker does not read as launches, each with the
 * reason. Found in aws-cdk-lib 2.276.0.
 */
const NOT_READ: Readonly<Record<string, string>> = {
  // Read only to mark the Auto Scaling groups it names as container hosts. Its
  // ManagedInstancesProvider (ECS Managed Instances) has InstanceLaunchTemplate
  // .InstanceMetadataTagsPropagation, which says whether tags are propagated, not how the
  // instances' metadata service is set: CloudFormation has no HttpTokens for those instances.
  'AWS::ECS::CapacityProvider': 'no HttpTokens: InstanceMetadataTagsPropagation only says whether tags are propagated',
};

interface JsiiType {
  readonly kind: string;
  readonly datatype?: boolean;
  readonly docs?: { readonly custom?: Record<string, string> };
  readonly properties?: ReadonlyArray<{ readonly name: string; readonly type?: JsiiTypeRef }>;
}

interface JsiiTypeRef {
  readonly fqn?: string;
  readonly union?: { readonly types: readonly JsiiTypeRef[] };
  readonly collection?: { readonly elementtype: JsiiTypeRef };
}

function assembly(): Record<string, JsiiType> {
  const dir = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  const redirect = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8')) as { schema?: string; filename?: string };
  const file = redirect.schema === 'jsii/file-redirect' && redirect.filename ? path.join(dir, redirect.filename) : path.join(dir, '.jsii');
  const bytes = fs.readFileSync(file);
  const text = file.endsWith('.gz') ? zlib.gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return (JSON.parse(text) as { types: Record<string, JsiiType> }).types;
}

function structsOf(ref: JsiiTypeRef | undefined, out: string[]): string[] {
  if (!ref) return out;
  if (ref.fqn) out.push(ref.fqn);
  for (const t of ref.union?.types ?? []) structsOf(t, out);
  structsOf(ref.collection?.elementtype, out);
  return out;
}

/** Per resource type, the property paths (jsii names) that match, through nested property types. */
function scan(types: Record<string, JsiiType>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [fqn, t] of Object.entries(types)) {
    const resourceType = t.docs?.custom?.cloudformationResource;
    const props = types[`${fqn}Props`];
    if (t.kind !== 'class' || !resourceType || !props) continue;
    const hits: string[] = [];
    const walk = (struct: JsiiType, prefix: string, seen: ReadonlySet<string>) => {
      for (const p of struct.properties ?? []) {
        const at = prefix ? `${prefix}.${p.name}` : p.name;
        if (IMDS_PROPERTY.test(p.name)) hits.push(at);
        for (const ref of structsOf(p.type, [])) {
          const s = types[ref];
          if (s?.kind === 'interface' && s.datatype && !seen.has(ref)) walk(s, at, new Set([...seen, ref]));
        }
      }
    };
    walk(props, '', new Set());
    if (hits.length > 0) found.set(resourceType, hits);
  }
  return found;
}

describe('resource types with metadata options or an IMDS switch (aws-cdk-lib L1 definitions)', () => {
  const found = scan(assembly());
  const read = new Set([...KINDS.map((k) => k.type), 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration']);

  test('the scan finds the properties the launch readers read', () => {
    // What the scan is known to find; a scan that found nothing would pass the next test vacuously.
    expect(found.get('AWS::EC2::Instance')).toEqual(['metadataOptions', 'metadataOptions.httpTokens', 'metadataOptions.instanceMetadataTags']);
    expect(found.get('AWS::EC2::LaunchTemplate')).toContain('launchTemplateData.metadataOptions.httpTokens');
    expect(found.get('AWS::EC2::EC2Fleet')).toContain('launchTemplateConfigs.overrides.metadataOptions');
    expect(found.get('AWS::SageMaker::NotebookInstance')).toContain('instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion');
    expect(found.get('AWS::WorkspacesInstances::WorkspaceInstance')).toContain('managedInstance.metadataOptions.httpTokens');
  });

  test('every type found is read by the checker or left out with a reason', () => {
    const lines = [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, hits]) => `${type}: ${hits.join(', ')}${read.has(type) ? '' : ` [not read: ${NOT_READ[type] ?? 'UNKNOWN TO THE CHECKER'}]`}`);
    // The list, for the record (a new aws-cdk-lib shows here first).
    process.stdout.write(`Resource types with metadata options or an IMDS switch:\n${lines.join('\n')}\n`);
    const unknown = [...found.keys()].filter((type) => !read.has(type) && NOT_READ[type] === undefined);
    expect(unknown).toEqual([]);
  });

  test('the list of types left out names only types the scan finds, none the checker reads', () => {
    for (const type of Object.keys(NOT_READ)) {
      expect(found.has(type)).toBe(true);
      expect(read.has(type)).toBe(false);
    }
  });
});
