/**
 * zod/mini, configured as classic zod configures itself on its first schema: English issue
 * messages ("Invalid input: expected string, received number", "Too big: ...") and the
 * memoizer (cycle support in containers). Every schema of the engine imports `z` from here, so
 * the configuration is in place before any schema is built (the memoizer is read when a
 * container schema is constructed). zod/mini leaves both out by default: without them every
 * message would be "Invalid input".
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());
z.config({ memoizer: z.memoizer() });

export { z };
