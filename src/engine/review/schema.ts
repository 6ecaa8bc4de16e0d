/** The review-rule format as zod schemas: a user's rules file is validated like a scenario. */
import { z } from 'zod';
import type { ReviewRule } from './review';

const scalar = z.union([z.string().max(400), z.number(), z.boolean(), z.null()]);
const condition = z.union([
  scalar,
  z.object({ not: scalar }).strict(),
  z.object({ in: z.array(scalar).max(100) }).strict(),
  z.object({ gt: z.number() }).strict(),
  z.object({ lt: z.number() }).strict(),
  z.object({ startsWith: z.string().max(200) }).strict(),
]);

export const reviewRule = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'rule ids are lower-case words joined by "-"').max(80),
  severity: z.enum(['error', 'warning', 'info']),
  title: z.string().max(200),
  select: z.enum(['devices', 'modules', 'events']),
  where: z.record(z.string().regex(/^[A-Za-z]+$/).max(40), condition),
  message: z.string().max(600),
  cite: z.string().max(300),
  quote: z.object({ text: z.string().max(600), author: z.string().max(120), date: z.string().max(40), list: z.string().max(80) }).strict().optional(),
}).strict();

export const reviewRules = z.array(reviewRule).max(200);

// the schema and the evaluator's type describe the same thing
const _sameShape: (r: z.infer<typeof reviewRule>) => ReviewRule = (r) => r;
void _sameShape;
