/**
 * The rule catalogue: every rule of the checker, in ID order. IDs are stable.
 */
import { Rule } from '../rule';
import { IMDS001 } from './imds001-require-imdsv2';
import { IMDS002 } from './imds002-hop-limit-range';
import { IMDS003 } from './imds003-hop-limit-maximum';
import { IMDS004 } from './imds004-ipv6-nitro';
import { IMDS005 } from './imds005-ipv6-subnet';
import { IMDS006 } from './imds006-ipv6-endpoint-off';
import { IMDS007 } from './imds007-user-data-endpoint-off';
import { IMDS008 } from './imds008-key-pair-endpoint-off';
import { IMDS009 } from './imds009-metadata-tag-keys';
import { IMDS010 } from './imds010-cannot-verify';
import { IMDS011 } from './imds011-container-host-hop-limit';
import { IMDS012 } from './imds012-unguarded-auto-scaling';

export const RULES: readonly Rule[] = [IMDS001, IMDS002, IMDS003, IMDS004, IMDS005, IMDS006, IMDS007, IMDS008, IMDS009, IMDS010, IMDS011, IMDS012];

/** A rule by ID. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
