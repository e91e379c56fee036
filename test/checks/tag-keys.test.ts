import { imdsTagKeyProblem } from '../../src/checks/tag-keys';

describe('imdsTagKeyProblem', () => {
  test.each(['Name', 'team', 'cost-center', 'a+b=c.d,e_f:g@h', 'aws:cloudformation:stack-name', 'x'])(
    '%p is served by IMDS',
    (key) => expect(imdsTagKeyProblem(key)).toBeUndefined(),
  );

  test.each([
    ['team/owner', /contains "\/"/],
    ['cost center', /contains a space/],
    ['.', /reserved/],
    ['..', /reserved/],
    ['_index', /reserved/],
    ['', /empty/],
    ['name#1', /contains "#"/],
    ['ünïcode', /contains "ü", "ï"/],
  ])('%p is rejected', (key, why) => expect(imdsTagKeyProblem(key)).toMatch(why));
});
