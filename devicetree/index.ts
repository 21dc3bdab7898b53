// Public API of devicetree/: parse DTS board files into a resolved tree and query it.
// Used by the emulator's board builder (fatal mode) and the language server (tolerant mode).
// The core does no file I/O: includes are read through ParseOptions.readFile.

import { parseWith } from './parser.js';
import type { DtTree, ParseOptions } from './types.js';

export { DtsError, formatLoc } from './types.js';
export type { SourceLoc, DtCell, DtValue, DtProperty, DtNode, ParseOptions, DtTree } from './types.js';
export {
  getProp, propU32, propCells, propString, propStrings, findNode, phandleOf, nodeByPhandle,
  decodeReg, interruptParent, propBytes, walk,
} from './resolve.js';

/** Parses and resolves; throws a DtsError ('file:line:col: message') at the first error. */
export function parseDts(text: string, file: string, opts?: ParseOptions): DtTree {
  return parseWith(text, file, opts, false);
}

/** Like parseDts, but collects errors in tree.diagnostics and recovers at ';' or '}'. */
export function parseDtsTolerant(text: string, file: string, opts?: ParseOptions): DtTree {
  return parseWith(text, file, opts, true);
}
