/**
 * The zod schema of a walkthrough (walkthrough.ts), for a scenario's own `walkthrough` field:
 * validated like the rest of the format, each problem with its JSON path.
 */
import { z } from 'zod';

const kinds = [
  'phase', 'firmware', 'device_add', 'device_del', 'driver_register', 'driver_unregister', 'match', 'probe', 'bind', 'unbind',
  'defer', 'uevent', 'udev', 'module', 'sysfs', 'tsm', 'action', 'error',
] as const;

export const eventMatcherSchema = z.object({
  kind: z.enum(kinds).optional(),
  action: z.enum(['add', 'remove', 'change', 'bind', 'unbind', 'move', 'online', 'offline']).optional(),
  devpathEndsWith: z.string().min(1).optional(),
  textIncludes: z.string().min(1).optional(),
  module: z.string().min(1).optional(),
  nth: z.number().int().refine((n) => n !== 0, 'nth counts from 1 (first) or from -1 (last)').optional(),
}).strict().refine((m) => Object.keys(m).some((k) => k !== 'nth'), 'a matcher needs at least one of kind, action, devpathEndsWith, textIncludes, module');

const focusRef = z.string().regex(/^(device|module|driver):\S+$/, 'a node such as "device:arm-rsi", "module:arm_cca_guest" or "driver:platform/smccc_trng"');

export type StopAt = 'start' | 'end' | z.infer<typeof eventMatcherSchema>;

/** "start", "end" or a matcher; a bad matcher's problems keep their own paths (at.kind, ...) */
const stopAt = z.unknown().superRefine((v, ctx) => {
  if (v === 'start' || v === 'end') return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: 'must be "start", "end" or an event matcher such as { "kind": "uevent", "action": "add", "devpathEndsWith": "arm-rsi" }' });
    return;
  }
  const r = eventMatcherSchema.safeParse(v);
  if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
}).transform((v) => v as StopAt);

export const walkthroughStopSchema = z.object({
  at: stopAt,
  caption: z.string().min(1).max(400, 'a caption is one or two sentences (at most 400 characters)'),
  focus: z.array(focusRef).max(12).optional(),
  panel: z.enum(['uevent', 'details', 'outcome', 'tree', 'compare', 'none']).optional(),
  design: z.string().optional(),
  compare: z.string().optional(),
  dwellMs: z.number().int().min(300).max(120_000).optional(),
}).strict();

export const walkthroughSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by "-"'),
  title: z.string().min(1),
  design: z.string().optional(),
  stops: z.array(walkthroughStopSchema).min(1, 'a walkthrough needs at least one stop').max(60),
}).strict();
