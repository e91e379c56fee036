/**
 * `AWS::SageMaker::NotebookInstance`: a service-managed instance whose only IMDS switch is
 * `InstanceMetadataServiceConfiguration/MinimumInstanceMetadataServiceVersion` ("1" or "2"; without
 * it both IMDSv1 and IMDSv2 are supported,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-notebookinstance-instancemetadataserviceconfiguration.html);
 * no account default or AMI applies.
 */
import { isObject } from '../template-model';
import type { LaunchKind } from './kind';
import { TOKENS_ONLY, TokensSwitch } from './shape';

const PATH = 'Properties/InstanceMetadataServiceConfiguration';

/** IMDSv2 only: `MinimumInstanceMetadataServiceVersion` "2". */
const SWITCH: TokensSwitch = { property: 'MinimumInstanceMetadataServiceVersion', path: `${PATH}/MinimumInstanceMetadataServiceVersion`, value: '"2"' };

/** `MinimumInstanceMetadataServiceVersion` "2" is tokens required, "1" optional. */
function translate(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const v = raw.MinimumInstanceMetadataServiceVersion;
  if (v === undefined) return {};
  if (v === '2' || v === 2) return { HttpTokens: 'required' };
  if (v === '1' || v === 1) return { HttpTokens: 'optional' };
  return { HttpTokens: v };
}

export const SAGEMAKER_NOTEBOOK: LaunchKind = {
  type: 'AWS::SageMaker::NotebookInstance',
  read(x, r) {
    const layer = { raw: r.properties.InstanceMetadataServiceConfiguration, path: PATH, supported: TOKENS_ONLY, translate };
    const variant = x.variant(undefined, [layer], {
      resource: r,
      optionsPath: PATH,
      supported: TOKENS_ONLY,
      imageDescription: 'a SageMaker-managed image',
      // The rules name this switch, not HttpTokens, in their advice.
      tokensSwitch: SWITCH,
    });
    return x.launch(r, [variant], { subnets: [] }, {
      accountLayers: false,
      serviceDefault: 'SageMaker allows IMDSv1 unless MinimumInstanceMetadataServiceVersion is "2"',
    });
  },
};
