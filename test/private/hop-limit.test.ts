import { Token } from 'aws-cdk-lib';
import { HOP_LIMIT_MAX, HOP_LIMIT_MIN, HOP_LIMIT_RANGE, hopLimitRangeMessage, isValidHopLimit } from '../../src/private/hop-limit';

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
});
