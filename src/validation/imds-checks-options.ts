/**
 * Settings shared by `ImdsChecks` and `ImdsValidationPlugin`.
 */
export interface ImdsChecksOptions {
  /**
   * Treat "cannot verify" (IMDS010) as an error instead of a warning.
   *
   * Use it where every launch must be provably compliant, e.g. in a regulated pipeline.
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * The highest `HttpPutResponseHopLimit` a launch may have (IMDS003).
   *
   * A policy in the same app that denies `ec2:RunInstances` above a lower hop limit lowers it
   * further.
   *
   * @default - no maximum besides the policies of the app
   */
  readonly maxHopLimit?: number;

  /**
   * Use the account defaults managed in the same app (`InstanceMetadataDefaults`, CloudFormation
   * type `Custom::InstanceMetadataDefaults`) for launches in the same Region.
   *
   * Only turn this on when the account defaults are deployed before the launches (for example in
   * an earlier stack or stage): until then they do not apply.
   *
   * @default false
   */
  readonly trustAccountDefaults?: boolean;

  /**
   * Treat AMIs marked by `ImageImdsSupport` in the same app (CloudFormation type
   * `Custom::ImageImdsSupport`, used through its `ImageId` attribute) as requiring IMDSv2.
   *
   * Amazon Linux 2023 AMIs from their public SSM parameters count as requiring IMDSv2 either way.
   *
   * @default true
   */
  readonly trustImageImdsSupport?: boolean;

  /**
   * Whether the IAM policies and service control policies of the app bind the principal that
   * deploys its launches.
   *
   * Policy conditions see the RunInstances request, not the account default or the AMI. With this
   * on, a launch that a policy of the app would deny is an error: its request does not set
   * `HttpTokens` to `required` under a statement that denies such launches (IMDS001), it sets a
   * hop limit above a policy's maximum (IMDS003), or an Auto Scaling group uses a launch
   * configuration that a policy denies (IMDS012). Turn it off when the app's policies are attached
   * to other principals than the one that deploys, for example a policy for developers in an app
   * that a pipeline deploys with its own role.
   *
   * @default true
   */
  readonly assumePoliciesApply?: boolean;

  /**
   * Write the report into the cloud assembly folder: one row per launch with its effective
   * metadata options, the source of each, its findings and the acknowledgements. `ImdsChecks`
   * (and the checks an `Imdsv2Baseline` adds) write `imds-report.json` and `imds-report.md`,
   * `ImdsValidationPlugin` writes `imds-plugin-report.json` and `imds-plugin-report.md`, so an app
   * with both keeps both.
   *
   * @default true
   */
  readonly report?: boolean;
}
