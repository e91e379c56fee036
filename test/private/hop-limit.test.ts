import { Token } from 'aws-cdk-lib';
import { ImdsMetadataOptions } from '../../src/metadata-options';
import { HOP_LIMIT_MAX, HOP_LIMIT_MIN, HOP_LIMIT_RANGE, describeHopLimit, hopLimitRangeMessage, isValidHopLimit } from '../../src/private/hop-limit';

describe('hop limit range', () => {
  test('EC2 accepts the whole numbers from 1 to 64', () => {
    expect([HOP_LIMIT_MIN, HOP_LIMIT_MAX]).toEqual([1, 64]);
    expect(HOP_LIMIT_RANGE).toBe('a whole number from 1 to 64');
    for (const n of [1, 2, 63, 64]) expect(isValidHopLimit(n)).toBe(true);
  });

  test.each([0, -1, 65, 1.5, NaN, Infinity, '2', undefined])('%p is refused', (n) => {
    expect(isValidHopLimit(n)).toBe(false);
  });

  test('a number token is not a hop limit: callers test for tokens first', () => {
    expect(isValidHopLimit(Token.asNumber({ Ref: 'Hops' }))).toBe(false);
  });

  test('the message names the prop, the value and what is allowed', () => {
    expect(hopLimitRangeMessage('maxHopLimit', 0)).toBe(
      'maxHopLimit is 0: it must be a whole number from 1 to 64 (1 for instances, 2 for container hosts whose containers use IMDSv2).',
    );
    expect(hopLimitRangeMessage('hops', 65, 'or NO_PREFERENCE')).toBe('hops is 65: it must be a whole number from 1 to 64 (or NO_PREFERENCE).');
  });

  test('a value that is not a number is shown as JavaScript holds it, with its type', () => {
    expect(describeHopLimit(2)).toBe('2');
    expect(describeHopLimit(1.5)).toBe('1.5');
    expect(describeHopLimit(NaN)).toBe('NaN');
    expect(describeHopLimit('2')).toBe('"2" (a string)');
    expect(describeHopLimit('')).toBe('"" (a string)');
    expect(describeHopLimit(true)).toBe('true (a boolean)');
    expect(describeHopLimit(undefined)).toBe('undefined');
    expect(describeHopLimit(null)).toBe('null');
    expect(describeHopLimit([2])).toBe('[2] (an array)');
    expect(describeHopLimit({ hops: 2 })).toBe('{"hops":2} (an object)');
    expect(describeHopLimit(BigInt(2))).toBe('2n (a bigint)');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeHopLimit(cycle)).toBe('an object');
    expect(describeHopLimit({ key: 'x'.repeat(60) })).toBe('{"key":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (an object)');
  });

  test('the string "2" does not read as the number 2: the message says it is a string and what to give instead', () => {
    expect(hopLimitRangeMessage('httpPutResponseHopLimit', '2')).toBe(
      'httpPutResponseHopLimit is "2" (a string): it must be a number, a whole number from 1 to 64 ' +
        '(1 for instances, 2 for container hosts whose containers use IMDSv2). Give the number 2, without quotes.',
    );
    // A string that is no hop limit EC2 accepts gets no "give the number" hint.
    expect(hopLimitRangeMessage('maxHopLimit', '65', 'or NO_PREFERENCE')).toBe('maxHopLimit is "65" (a string): it must be a number, a whole number from 1 to 64 (or NO_PREFERENCE).');
    expect(hopLimitRangeMessage('maxHopLimit', 'two', 'or NO_PREFERENCE')).toBe('maxHopLimit is "two" (a string): it must be a number, a whole number from 1 to 64 (or NO_PREFERENCE).');
    expect(hopLimitRangeMessage('maxHopLimit', true, 'or NO_PREFERENCE')).toBe('maxHopLimit is true (a boolean): it must be a number, a whole number from 1 to 64 (or NO_PREFERENCE).');
    expect(hopLimitRangeMessage('maxHopLimit', null, 'or NO_PREFERENCE')).toBe('maxHopLimit is null: it must be a number, a whole number from 1 to 64 (or NO_PREFERENCE).');
  });

  test('ImdsMetadataOptions.validate reports a string hop limit from JavaScript as a string', () => {
    expect(ImdsMetadataOptions.validate({ httpPutResponseHopLimit: '2' as unknown as number }, 'props.')).toEqual([
      'props.httpPutResponseHopLimit is "2" (a string): it must be a number, a whole number from 1 to 64 ' +
        '(1 for instances, 2 for container hosts whose containers use IMDSv2). Give the number 2, without quotes.',
    ]);
    expect(ImdsMetadataOptions.validate({ httpPutResponseHopLimit: 0 })).toEqual([
      'httpPutResponseHopLimit is 0: it must be a whole number from 1 to 64 (1 for instances, 2 for container hosts whose containers use IMDSv2).',
    ]);
  });
});
