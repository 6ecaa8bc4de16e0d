/**
 * The zod schema of a walkthrough (walkthrough.ts), for a scenario's own `walkthrough` field:
 * validated like the rest of the format, each problem with its JSON path.
 */
import { z } from './zodMini';

const kinds = [
  'phase', 'firmware', 'device_add', 'device_del', 'driver_register', 'driver_unregister', 'match', 'probe', 'bind', 'unbind',
  'defer', 'uevent', 'udev', 'module', 'sysfs', 'tsm', 'action', 'error',
] as const;

export const eventMatcherSchema = z.strictObject({
  kind: z.optional(z.enum(kinds)),
  action: z.optional(z.enum(['add', 'remove', 'change', 'bind', 'unbind', 'move', 'online', 'offline'])),
  devpathEndsWith: z.optional(z.string().check(z.minLength(1))),
  textIncludes: z.optional(z.string().check(z.minLength(1))),
  module: z.optional(z.string().check(z.minLength(1))),
  nth: z.optional(z.number().check(z.int(), z.refine((n) => n !== 0, 'nth counts from 1 (first) or from -1 (last)'))),
}).check(z.refine((m) => Object.keys(m).some((k) => k !== 'nth'), 'a matcher needs at least one of kind, action, devpathEndsWith, textIncludes, module'));

const focusRef = z.string().check(z.regex(/^(device|module|driver):\S+$/, 'a node such as "device:arm-rsi", "module:arm_cca_guest" or "driver:platform/smccc_trng"'));

export type StopAt = 'start' | 'end' | z.infer<typeof eventMatcherSchema>;

/** "start", "end" or a matcher; a bad matcher's problems keep their own paths (at.kind, ...) */
const stopAt = z.pipe(z.unknown().check(z.superRefine((v, ctx) => {
  if (v === 'start' || v === 'end') return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: 'must be "start", "end" or an event matcher such as { "kind": "uevent", "action": "add", "devpathEndsWith": "arm-rsi" }' });
    return;
  }
  const r = eventMatcherSchema.safeParse(v);
  if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
})), z.transform((v) => v as StopAt));

export const walkthroughStopSchema = z.strictObject({
  at: stopAt,
  caption: z.string().check(z.minLength(1), z.maxLength(400, 'a caption is one or two sentences (at most 400 characters)')),
  focus: z.optional(z.array(focusRef).check(z.maxLength(12))),
  panel: z.optional(z.enum(['uevent', 'details', 'outcome', 'tree', 'compare', 'none'])),
  design: z.optional(z.string()),
  compare: z.optional(z.string()),
  dwellMs: z.optional(z.number().check(z.int(), z.gte(300), z.lte(120_000))),
});

export const walkthroughSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by "-"')),
  title: z.string().check(z.minLength(1)),
  design: z.optional(z.string()),
  stops: z.array(walkthroughStopSchema).check(z.minLength(1, 'a walkthrough needs at least one stop'), z.maxLength(60)),
});
