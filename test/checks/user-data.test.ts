import * as fc from 'fast-check';
import { containerHostUserData, userDataScriptHasContent } from '../../src/checks/user-data';

/** The definition, line by line: the implementation must agree with it on every script. */
function byLines(script: string): boolean {
  const lines = script.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length > 0 && lines[0].startsWith('#!')) lines.shift();
  return lines.join('\n').replace(/<\/?powershell>/g, '').trim().length > 0;
}

describe('userDataScriptHasContent', () => {
  test.each([
    ['', false],
    ['   \n\t\r\n', false],
    ['#!/bin/bash', false],
    ['#!/bin/bash\n', false],
    ['\n  #!/bin/bash  \r\n\n', false],
    ['<powershell></powershell>', false],
    ['<powershell>\r\n</powershell>\r\n', false],
    ['#!/bin/bash\nyum -y update', true],
    ['  \n#!/bin/bash\n\n  echo hi  \n', true],
    ['echo without a shebang', true],
    ['yum update\n#!/bin/bash', true],
    ['#!/bin/bash\n#!/bin/sh', true],
    ['<powershell>Write-Host hi</powershell>', true],
    ['<power<powershell>shell>', true],
    ['#!/bin/bash\r\n<powershell>\r\n', false],
  ])('%j has content: %s', (script, expected) => {
    expect(userDataScriptHasContent(script)).toBe(expected);
    expect(byLines(script)).toBe(expected);
  });

  test('agrees with the line-by-line definition on arbitrary scripts', () => {
    const piece = fc.constantFrom('#!', '#!/bin/bash', '\n', '\r\n', '\r', ' ', '\t', '\u2028', '<powershell>', '</powershell>', '<', 'x', 'echo hi');
    fc.assert(
      fc.property(fc.oneof(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), fc.string()), (script) => {
        expect(userDataScriptHasContent(script)).toBe(byLines(script));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('containerHostUserData', () => {
  test.each([
    ['#!/bin/bash\necho ECS_CLUSTER=${token} >> /etc/ecs/ecs.config', 'its user data joins an ECS cluster (ECS_CLUSTER)'],
    ['#!/bin/bash\n/etc/eks/bootstrap.sh my-cluster', 'its user data joins an EKS cluster'],
    ['\n[settings.ecs]\ncluster = "${token}"', 'its Bottlerocket user data joins an ECS cluster ([settings.ecs])'],
    ['[settings.kubernetes]\ncluster-name = "c"\napi-server = "https://x"', 'its Bottlerocket user data joins a Kubernetes cluster ([settings.kubernetes])'],
    ['#!/bin/bash\necho "[settings.ecs] is Bottlerocket TOML"', undefined],
    ['[settings.host-containers.admin]\nenabled = true', undefined],
    ['#!/bin/bash\nyum -y update', undefined],
  ])('%j', (text, why) => {
    expect(containerHostUserData(text)).toBe(why);
  });
});
