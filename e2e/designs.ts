import { STANDARD_VARIANTS, listBuiltins } from '../src/engine/index';

/** The built-ins the design switcher lists: each design in its default form (no standard variant). */
export const designs = listBuiltins().filter((b) => !STANDARD_VARIANTS.some(([suffix]) => b.id.endsWith(`-${suffix}`)));
