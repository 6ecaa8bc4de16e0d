/** The built-in scenarios: each design's default form plus its standard variants. */
import type { Scenario } from '../engine/scenario/schema';
import { auxiliaryGuest, auxiliaryHost, faux, fauxModuleInit, hostRfcGuest, hostRfcHost, mainline, smcccBusGuest, smcccBusHost } from './designs';
import { applyVariant, STANDARD_VARIANTS } from './variants';

export { applyVariant, currentVariant, STANDARD_VARIANTS, type Variant } from './variants';

const DESIGNS: Scenario[] = [mainline, hostRfcGuest, hostRfcHost, faux, fauxModuleInit, auxiliaryGuest, auxiliaryHost, smcccBusGuest, smcccBusHost];

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
