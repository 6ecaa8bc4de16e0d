/**
 * The built-in scenarios: every design as posted, revision by revision, each with its standard
 * firmware variants. A design's default revision has the design's own id ("auxiliary",
 * "smccc-bus"); the others carry the revision ("auxiliary-v2", "smccc-bus-v7").
 */
import type { Scenario } from '../engine/scenario/schema';
import { mainline } from './mainline';
import { HOST_RFC_REVISIONS } from './host-rfc';
import { FAUX_REVISIONS } from './faux';
import { AUXILIARY_REVISIONS } from './auxiliary';
import { SMCCC_BUS_REVISIONS } from './smccc-bus';
import { applyVariant, STANDARD_VARIANTS } from './variants';

export { applyVariant, currentVariant, STANDARD_VARIANTS, type Variant } from './variants';

/** every design and revision in its default firmware, in the order the UI lists them */
export const DESIGNS: Scenario[] = [mainline, ...HOST_RFC_REVISIONS, ...FAUX_REVISIONS, ...AUXILIARY_REVISIONS, ...SMCCC_BUS_REVISIONS];

function withVariants(s: Scenario): Scenario[] {
  const out = [s];
  for (const [suffix, guestLabel, v] of STANDARD_VARIANTS) {
    const label = s.side === 'host' && suffix === 'nonrealm' ? 'no RME (RMI absent)' : guestLabel;
    const variant = applyVariant(s, v);
    out.push({ ...variant, id: `${s.id}-${suffix}`, title: `${s.title} — ${label}` });
  }
  return out;
}

export const BUILTIN_SCENARIOS: Scenario[] = DESIGNS.flatMap(withVariants);
