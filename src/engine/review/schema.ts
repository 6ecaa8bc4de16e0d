/** The review-rule format as zod schemas: a user's rules file is validated like a scenario. */
import { z } from '../scenario/zodMini';
import type { ReviewRule } from './review';

const scalar = z.union([z.string().check(z.maxLength(400)), z.number(), z.boolean(), z.null()]);
const condition = z.union([
  scalar,
  z.strictObject({ not: scalar }),
  z.strictObject({ in: z.array(scalar).check(z.maxLength(100)) }),
  z.strictObject({ gt: z.number() }),
  z.strictObject({ lt: z.number() }),
  z.strictObject({ startsWith: z.string().check(z.maxLength(200)) }),
]);

export const reviewRule = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'rule ids are lower-case words joined by "-"'), z.maxLength(80)),
  severity: z.enum(['error', 'warning', 'info']),
  title: z.string().check(z.maxLength(200)),
  select: z.enum(['devices', 'modules', 'events']),
  where: z.record(z.string().check(z.regex(/^[A-Za-z]+$/), z.maxLength(40)), condition),
  message: z.string().check(z.maxLength(600)),
  cite: z.string().check(z.maxLength(300)),
  quote: z.optional(z.strictObject({ text: z.string().check(z.maxLength(600)), author: z.string().check(z.maxLength(120)), date: z.string().check(z.maxLength(40)), list: z.string().check(z.maxLength(80)) })),
});

export const reviewRules = z.array(reviewRule).check(z.maxLength(200));

// the schema and the evaluator's type describe the same thing
const _sameShape: (r: z.infer<typeof reviewRule>) => ReviewRule = (r) => r;
void _sameShape;
