/**
 * The launch readers: one file per kind under src/checks/launches/, each listed once in KINDS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KINDS, launchResourceTypes } from '../../src/checks/launches';
import type { LaunchKind } from '../../src/checks/launches/kind';

const DIR = path.join(__dirname, '..', '..', 'src', 'checks', 'launches');

function isKind(x: unknown): x is LaunchKind {
  return typeof x === 'object' && x !== null && typeof (x as LaunchKind).type === 'string' && typeof (x as LaunchKind).read === 'function';
}

describe('launch kinds', () => {
  test('every LaunchKind a file of src/checks/launches/ exports is in KINDS, once', () => {
    const exported: LaunchKind[] = [];
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(DIR, file)) as Record<string, unknown>;
      exported.push(...Object.values(mod).filter(isKind));
    }
    expect(exported.map((k) => k.type).sort()).toEqual(KINDS.map((k) => k.type).sort());
    for (const k of exported) expect(KINDS.filter((l) => l === k)).toHaveLength(1);
  });

  test('resource types are unique and include what the readers look up besides the kinds', () => {
    const types = launchResourceTypes();
    expect(new Set(types).size).toBe(types.length);
    expect(types.slice(KINDS.length)).toEqual(['AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration', 'AWS::ECS::CapacityProvider', 'AWS::EMR::SecurityConfiguration']);
  });
});
