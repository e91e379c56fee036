/**
 * `AWS::AppStream::Fleet`, `AWS::AppStream::ImageBuilder` and `AWS::AppStream::AppBlockBuilder`:
 * AppStream-managed instances (`stream.*` instance types) whose only IMDS switch is
 * `DisableIMDSV1` (true disables IMDSv1 and enforces IMDSv2,
 * https://docs.aws.amazon.com/appstream2/latest/APIReference/API_CreateFleet.html, and the same
 * parameter of API_CreateImageBuilder.html and API_CreateAppBlockBuilder.html); no account default
 * or AMI applies.
 */
import type { LaunchKind } from './kind';
import type { LaunchReader } from './reader';
import { Launch, TOKENS_ONLY, TokensSwitch } from './shape';
import type { ResourceEntry } from '../template-model';

const PATH = 'Properties/DisableIMDSV1';

/** IMDSv2 only: `DisableIMDSV1` true. */
const SWITCH: TokensSwitch = { property: 'DisableIMDSV1', path: PATH, value: 'true' };

/** `DisableIMDSV1` true is tokens required, false optional. */
function translate(raw: unknown): unknown {
  if (raw === true || raw === 'true') return { HttpTokens: 'required' };
  if (raw === false || raw === 'false') return { HttpTokens: 'optional' };
  return { HttpTokens: raw };
}

function read(x: LaunchReader, r: ResourceEntry): Launch {
  const variant = x.variant(undefined, [{ raw: r.properties.DisableIMDSV1, path: PATH, supported: TOKENS_ONLY, translate }], {
    resource: r,
    optionsPath: PATH,
    supported: TOKENS_ONLY,
    imageDescription: 'an AppStream image',
    // The rules name this switch, not HttpTokens, in their advice.
    tokensSwitch: SWITCH,
  });
  return x.launch(r, [variant], { subnets: [] }, { accountLayers: false, serviceDefault: 'AppStream allows IMDSv1 unless DisableIMDSV1 is true' });
}

export const APPSTREAM_FLEET: LaunchKind = { type: 'AWS::AppStream::Fleet', read };
export const APPSTREAM_IMAGE_BUILDER: LaunchKind = { type: 'AWS::AppStream::ImageBuilder', read };
export const APPSTREAM_APP_BLOCK_BUILDER: LaunchKind = { type: 'AWS::AppStream::AppBlockBuilder', read };
