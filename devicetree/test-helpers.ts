// Shared helpers for the devicetree specs: an in-memory include resolver and a tree dump.
// Not part of the public API; specs only.

import type { DtNode, ParseOptions } from './types.js';

/** readFile over a map of path -> text; names resolve next to the including file, then under 'inc/'. */
export function memFiles(files: Record<string, string>): ParseOptions & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile(name: string, from: string) {
      const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
      for (const cand of [dir + name, 'inc/' + name, name]) {
        const norm = normalize(cand);
        if (norm in files) { reads.push(norm); return { path: norm, text: files[norm] }; }
      }
      return undefined;
    },
  };
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/** All node paths in depth-first order. */
export function paths(root: DtNode): string[] {
  const out: string[] = [];
  const visit = (n: DtNode) => { out.push(n.path); n.children.forEach(visit); };
  visit(root);
  return out;
}
