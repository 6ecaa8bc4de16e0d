/** The parsed DTS source, before labels, overrides and deletions are resolved (tree.ts). */

/** where a construct is: the file, its 1-based line and column, and the include chain that led there */
export interface Pos {
  file: string;
  line: number;
  col: number;
  /** "included from <file>:<line>:<col>" frames, innermost first */
  chain: { file: string; line: number; col: number }[];
}

export interface DtsError extends Pos {
  message: string;
}

export type Cell = { kind: 'num'; value: bigint; pos: Pos } | { kind: 'ref'; ref: string; pos: Pos };

export type Value =
  | { kind: 'string'; value: string; pos: Pos }
  | { kind: 'cells'; bits: 8 | 16 | 32 | 64; cells: Cell[]; pos: Pos }
  | { kind: 'bytes'; bytes: number[]; pos: Pos }
  /** `&label` as a value: the node's full path as a string */
  | { kind: 'pathref'; ref: string; pos: Pos };

export type Entry =
  | { kind: 'prop'; labels: string[]; name: string; value: Value[] | null; pos: Pos }
  | { kind: 'node'; labels: string[]; name: string; body: Entry[]; omitIfNoRef: boolean; pos: Pos }
  | { kind: 'delnode'; name: string; pos: Pos }
  | { kind: 'delprop'; name: string; pos: Pos };

export type TopItem =
  | { kind: 'dtsv1'; pos: Pos }
  | { kind: 'plugin'; pos: Pos }
  | { kind: 'memreserve'; address: bigint; size: bigint; pos: Pos }
  | { kind: 'root'; labels: string[]; body: Entry[]; pos: Pos }
  /** `&label { … };` or `&{/path} { … };` */
  | { kind: 'refnode'; labels: string[]; ref: string; body: Entry[]; pos: Pos }
  | { kind: 'delnode-ref'; ref: string; pos: Pos }
  | { kind: 'omit-ref'; ref: string; pos: Pos };

export function formatError(e: DtsError): string {
  return [`${e.file}:${e.line}:${e.col}: ${e.message}`, ...e.chain.map((c) => `  included from ${c.file}:${c.line}:${c.col}`)].join('\n');
}

export class DtsFail extends Error {
  constructor(readonly errors: DtsError[]) {
    super(errors.map(formatError).join('\n'));
  }
}
