// Data model of a parsed devicetree source: locations, values, properties, nodes, the tree,
// and the one error type every part of devicetree/ throws or collects.
// Shared by the emulator's board builder and the language server, so every piece keeps its
// source location (1-based line/col; endLine/endCol point just past the last character).

export interface SourceLoc {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export function formatLoc(loc: SourceLoc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** An error in a DTS source. `message` is 'file:line:col: text'; `detail` is the bare text. */
export class DtsError extends Error {
  readonly detail: string;
  constructor(message: string, readonly loc: SourceLoc) {
    super(`${formatLoc(loc)}: ${message}`);
    this.name = 'DtsError';
    this.detail = message;
  }
}

/** One cell: a number, or a phandle reference (&label or &{/path}) resolved after parsing. */
export type DtCell = number | { ref: string; loc: SourceLoc };

export type DtValue =
  | { kind: 'string'; value: string; loc: SourceLoc; labels?: string[]; raw?: Uint8Array }
  // For bits 64 the numbers in `cells` lose precision at and above 2^53; `wide` holds the
  // exact values (refs are not allowed in 64-bit lists, so every entry is a number there).
  | { kind: 'cells'; bits: 8 | 16 | 32 | 64; cells: DtCell[]; loc: SourceLoc; labels?: string[]; wide?: bigint[] }
  | { kind: 'bytes'; bytes: Uint8Array; loc: SourceLoc; labels?: string[] }
  | { kind: 'ref'; ref: string; loc: SourceLoc; labels?: string[] };

export interface DtProperty {
  name: string;
  values: DtValue[];
  loc: SourceLoc;
  labels: string[];
}

export interface DtNode {
  name: string;
  unitAddress?: string;
  fullName: string;
  path: string;
  labels: string[];
  properties: DtProperty[];
  children: DtNode[];
  parent?: DtNode;
  loc: SourceLoc;
  deleted?: boolean;
}

export interface ParseOptions {
  /** Resolve an include named in `fromFile`; undefined when it cannot be found. */
  readFile(path: string, fromFile: string): { path: string; text: string } | undefined;
  maxIncludeDepth?: number;
}

export interface DtTree {
  root: DtNode;
  labels: Map<string, DtNode>;
  memreserves: Array<[number, number]>;
  files: string[];
  diagnostics: DtsError[];
}
