/**
 * cdk-nag 3 limited to its IMDS rule.
 *
 * cdk-nag ships `EC2IMDSv2Enabled` only inside its HIPAA Security and NIST 800-53 (rev 4 and rev 5)
 * packs, each of which runs 70 to 90 other rules. cdk-nag 3 exports its rules (`rules.ec2`) and
 * lets anyone write a `NagPack` (a validation plugin), so this pack applies that one rule and
 * nothing else: the fair comparison for the benchmark and the reference of the differential test.
 */
import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, rules } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** The ID cdk-nag reports for the rule in this pack. */
export const NAG_IMDS_RULE_ID = 'Ec2Imds-EC2IMDSv2Enabled';

/** A cdk-nag pack that runs only `EC2IMDSv2Enabled`. */
export class Ec2ImdsNagPack extends NagPack {
  public readonly name = 'Ec2Imds';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'Ec2Imds';
  }

  protected checkResource(node: CfnResource): void {
    this.applyRule({
      info: 'The EC2 instance or Auto Scaling group does not require IMDSv2.',
      explanation: 'IMDSv2 protects instance credentials against SSRF and open proxies.',
      level: NagMessageLevel.ERROR,
      rule: rules.ec2.EC2IMDSv2Enabled,
      node,
    });
  }
}
