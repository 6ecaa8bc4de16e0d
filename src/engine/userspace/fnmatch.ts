/**
 * fnmatch() as libkmod uses it: the implementation lives in core/fnmatch.ts (import-free, so the
 * data-defined buses' MODALIAS match can use it too); this path stays for its users.
 */
export * from '../core/fnmatch';
