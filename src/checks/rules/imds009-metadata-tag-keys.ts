import { describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, RuleFinding, launchName, placeTogether, withValue } from '../rule';
import { IMDS_TAG_KEY_RULE, imdsTagKeyProblem } from '../tag-keys';

/** IMDS009: tags in metadata with a tag key IMDS rejects. */
export const IMDS009: Rule = {
  id: 'IMDS009',
  level: 'error',
  title: 'Tag keys IMDS can serve',
  catches: 'InstanceMetadataTags enabled while an instance tag key has a space, "/", or another character IMDS rejects, or is ".", ".." or "_index" (the launch fails)',
  fix: 'rename the tag (letters, digits and + - = . , _ : @ only), or set InstanceMetadataTags to "disabled"',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"Tags": [{"Key": "team/name", "Value": "x"}], "MetadataOptions": {"HttpTokens": "required", "InstanceMetadataTags": "enabled"}}}',
  check(ctx) {
    const on = withValue(ctx.effective.InstanceMetadataTags, 'enabled');
    if (!on) return NO_FINDINGS;
    let out: RuleFinding[] | undefined;
    const tags = ctx.variant.tags;
    for (let i = 0; i < tags.length; i++) {
      const tag = tags[i];
      if (tag.key === undefined) continue;
      const problem = imdsTagKeyProblem(tag.key);
      if (!problem) continue;
      (out ??= []).push({
        at: placeTogether(ctx, tag.at),
        message:
          `${launchName(ctx)} has tags in instance metadata on (${describeSource(on)}) and tag key "${tag.key}" from ${tag.at.logicalId} ${tag.at.path} cannot be served by IMDS (${problem}); the launch would fail. ` +
          `Allowed in a key: ${IMDS_TAG_KEY_RULE}. Rename the tag, or set InstanceMetadataTags to "disabled".`,
      });
    }
    return out ?? NO_FINDINGS;
  },
};
