/** The default description of a RequireImdsv2 policy. */
export function describeRequireImdsv2Policy(maxHopLimit: number): string {
  const hop = typeof maxHopLimit === 'number' && maxHopLimit >= 64 ? 'any hop limit' : `hop limit at most ${maxHopLimit}`;
  return `Requires IMDSv2 on EC2 launches (${hop}) and denies switching instances back to IMDSv1.`;
}
