/**
 * `AWS::SageMaker::NotebookInstance`: a service-managed instance whose only IMDS switch is
 * `MinimumInstanceMetadataServiceVersion`; no account default or AMI applies.
 */
import { isObject } from '../template-model';
import type { LaunchKind } from './kind';
import { TOKENS_ONLY } from './shape';

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
    const path = 'Properties/InstanceMetadataServiceConfiguration';
    const variant = x.variant(undefined, [{ raw: r.properties.InstanceMetadataServiceConfiguration, path, supported: TOKENS_ONLY, translate }], {
      resource: r,
      optionsPath: path,
      supported: TOKENS_ONLY,
      imageDescription: 'a SageMaker-managed image',
    });
    return x.launch(r, [variant], { subnets: [] }, {
      accountLayers: false,
      serviceDefault: 'SageMaker allows IMDSv1 unless MinimumInstanceMetadataServiceVersion is "2"',
    });
  },
};
