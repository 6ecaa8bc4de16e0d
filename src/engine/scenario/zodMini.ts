/**
 * zod/mini, configured with the English issue messages classic zod installs on its first schema
 * ("Invalid input: expected string, received number", "Too big: ..."): zod/mini leaves them out
 * by default, and every message would be "Invalid input". Every schema of the engine imports `z`
 * from here, so the configuration is in place before any schema is built. Its objects are zod's
 * JIT objects (zodJit.ts).
 *
 * Not the memoizer (cycle support in containers), which classic zod also installs: every input
 * reaches a schema as data parsed from JSON or built in, and a scenario passes checkLimits
 * (validate.ts) first, which refuses any value nested deeper than 64 levels, so no input a schema
 * sees can be cyclic. Leaving it out costs nothing and saves ~10% of validating a 100k-device
 * scenario.
 */
import * as z from './zodJit';
import { en } from 'zod/locales';

z.config(en());

export { z };
