/**
 * zod/mini with its object builders making zod's JIT objects ($ZodObjectJIT, what classic zod's
 * z.object builds): on its first parse each object schema compiles a parser for its shape
 * (new Function), and falls back to the generic walk where eval is not allowed
 * (util.allowsEval). zod/mini builds the generic ones to stay small; the compiled parser takes
 * ~45% off validating a 100k-device scenario. Same issues, same output (test/zod-jit.test.ts).
 * The builders below shadow zod/mini's of the same names (a module's own exports win over
 * `export *`); zodMini.ts is the one importer. Node runs them (the CLI, the bench, the tests); the
 * app's build aliases this file to zod/mini (vite.config.ts), since its CSP allows no eval.
 */
import { $constructor, $ZodObjectJIT, util, type $ZodLooseShape, type $ZodObjectDef, type $ZodObjectParams } from 'zod/v4/core';
import { never, unknown, ZodMiniType, type ZodMiniObject } from 'zod/mini';
import type * as zm from 'zod/mini';

export * from 'zod/mini';

const initObjectJIT = $ZodObjectJIT.init as (inst: unknown, def: unknown) => void;
const initMiniType = ZodMiniType.init as (inst: unknown, def: unknown) => void;
/** zod/mini's ZodMiniObject (v4/mini/schemas.js), initialised as the JIT object */
const ZodMiniObjectJIT = $constructor('ZodMiniObject', (inst: ZodMiniObject, def: $ZodObjectDef) => {
  initObjectJIT(inst, def);
  initMiniType(inst, def);
});

/** zod/mini's object builders (the same defs), making JIT objects */
export const object = ((shape: $ZodLooseShape | undefined, params?: string | $ZodObjectParams) =>
  new ZodMiniObjectJIT({ type: 'object', shape: shape ?? {}, ...util.normalizeParams(params) })) as unknown as typeof zm.object;
export const strictObject = ((shape: $ZodLooseShape, params?: string | $ZodObjectParams) =>
  new ZodMiniObjectJIT({ type: 'object', shape, catchall: never(), ...util.normalizeParams(params) })) as unknown as typeof zm.strictObject;
export const looseObject = ((shape: $ZodLooseShape, params?: string | $ZodObjectParams) =>
  new ZodMiniObjectJIT({ type: 'object', shape, catchall: unknown(), ...util.normalizeParams(params) })) as unknown as typeof zm.looseObject;
