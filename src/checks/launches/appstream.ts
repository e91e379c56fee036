/**
 * `AWS::AppStream::Fleet` and `AWS::AppStream::ImageBuilder`: service-managed instances whose only
 * IMDS switch is `DisableIMDSV1`; no account default or AMI applies.
 */
import type { LaunchKind } from './kind';
import type { LaunchReader } from './reader';
import { Launch, TOKENS_ONLY } from './shape';
import type { ResourceEntry } from '../template-model';

/** `DisableIMDSV1` true is tokens required, false optional. */
function translate(raw: unknown): unknown {
  if (raw === true || raw === 'true') return { HttpTokens: 'required' };
  if (raw === false || raw === 'false') return { HttpTokens: 'optional' };
  return { HttpTokens: raw };
}

function read(x: LaunchReader, r: ResourceEntry): Launch {
  const path = 'Properties/DisableIMDSV1';
  const variant = x.variant(undefined, [{ raw: r.properties.DisableIMDSV1, path, supported: TOKENS_ONLY, translate }], {
    resource: r,
    optionsPath: path,
    supported: TOKENS_ONLY,
    imageDescription: 'an AppStream image',
  });
  return x.launch(r, [variant], { subnets: [] }, { accountLayers: false, serviceDefault: 'AppStream allows IMDSv1 unless DisableIMDSV1 is true' });
}

export const APPSTREAM_FLEET: LaunchKind = { type: 'AWS::AppStream::Fleet', read };
export const APPSTREAM_IMAGE_BUILDER: LaunchKind = { type: 'AWS::AppStream::ImageBuilder', read };
