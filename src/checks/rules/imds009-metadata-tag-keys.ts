import { describeSource } from '../effective-options';
import { NO_FINDINGS, Rule, RuleFinding, launchName, placeTogether, withValue } from '../rule';
import { IMDS_TAG_KEY_RULE, imdsTagKeyProblem, rejectedLiteral } from '../tag-keys';

/**
 * IMDS009: tags in metadata with a tag key IMDS rejects ("View tags for your EC2 instances using
 * instance metadata": non-compliant keys fail the launch,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/work-with-tags-in-IMDS.html). A key built
 * with `Fn::Sub` or `Fn::Join` is rejected when one of its literal parts already holds a character
 * IMDS rejects, whatever its references turn out to be.
 */
export const IMDS009: Rule = {
  id: 'IMDS009',
  level: 'error',
  title: 'Tag keys IMDS can serve',
  catches:
    'InstanceMetadataTags enabled while an instance tag key has a space, "/", or another character IMDS rejects, or is ".", ".." or "_index", ' +
    'or is built with Fn::Sub or Fn::Join around literal text that already has such a character (the launch fails)',
  fix: 'rename the tag (letters, digits and + - = . , _ : @ only), or set InstanceMetadataTags to "disabled"',
  example: '{"Type": "AWS::EC2::Instance", "Properties": {"Tags": [{"Key": "team/name", "Value": "x"}], "MetadataOptions": {"HttpTokens": "required", "InstanceMetadataTags": "enabled"}}}',
  check(ctx) {
    const on = withValue(ctx.effective.InstanceMetadataTags, 'enabled');
    if (!on) return NO_FINDINGS;
    let out: RuleFinding[] | undefined;
    const tags = ctx.variant.tags;
    for (let i = 0; i < tags.length; i++) {
      const tag = tags[i];
      let why: string | undefined;
      if (tag.key !== undefined) {
        const problem = imdsTagKeyProblem(tag.key);
        if (problem) why = `tag key "${tag.key}" from ${tag.at.logicalId} ${tag.at.path} cannot be served by IMDS (${problem})`;
      } else {
        const bad = rejectedLiteral(tag.literals);
        if (bad) {
          why =
            `tag key ${tag.expression} from ${tag.at.logicalId} ${tag.at.path} cannot be served by IMDS: its literal part "${bad.part}" contains ${bad.characters}, ` +
            `whatever the rest (${tag.why}) turns out to be`;
        }
      }
      if (!why) continue;
      (out ??= []).push({
        at: placeTogether(ctx, tag.at),
        message:
          `${launchName(ctx)} has tags in instance metadata on (${describeSource(on)}) and ${why}; the launch would fail. ` +
          `Allowed in a key: ${IMDS_TAG_KEY_RULE}. Rename the tag, or set InstanceMetadataTags to "disabled".`,
      });
    }
    return out ?? NO_FINDINGS;
  },
};
