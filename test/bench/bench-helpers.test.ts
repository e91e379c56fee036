import { cliTemplate } from '../../bench/cli-template';
import { median, parseArgs } from '../../bench/common';
import { runChecks } from '../../src/checks/check';

describe('benchmark CLI template', () => {
  test.each([
    ['dense', 4995],
    ['typical', 995],
  ] as const)('%s: exactly 10,000 resources, %d launches, findings of the planted kinds', (density, launches) => {
    const template = cliTemplate(10000, density) as { Resources: Record<string, unknown> };
    expect(Object.keys(template.Resources)).toHaveLength(10000);
    const result = runChecks([{ path: 'bench.json', template, stackName: 'bench' }]);
    expect(result.launches).toHaveLength(launches);
    expect(result.problems).toEqual([]);
    expect(new Set(result.findings.map((f) => f.ruleId))).toEqual(new Set(['IMDS001', 'IMDS004', 'IMDS005', 'IMDS012']));
  });

  test('other sizes are exact too, and a size too small is refused with the value', () => {
    expect(Object.keys((cliTemplate(1234, 'typical') as { Resources: object }).Resources)).toHaveLength(1234);
    expect(() => cliTemplate(5)).toThrow('resources is 5: it must be a whole number of at least 20.');
  });
});

describe('benchmark arguments and statistics', () => {
  test('parseArgs reads --name value and --name=value, and names what is wrong', () => {
    expect(parseArgs(['--reps', '3', '--sizes=500,2000'], ['reps'])).toEqual({ reps: '3', sizes: '500,2000' });
    expect(() => parseArgs(['--reps'], [])).toThrow('--reps needs a value.');
    expect(() => parseArgs(['reps'], [])).toThrow('unexpected argument "reps"');
    expect(() => parseArgs([], ['mode'])).toThrow('--mode is required.');
  });

  test('median of odd and even counts, unsorted input untouched', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no values');
  });
});
