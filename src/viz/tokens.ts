// Token ids -> the short strings figures print: byte-level BPE's 'Ġ' (a leading space) shown as '▁', newlines escaped.
import type { Tokenizer } from '../tokenize/index.js';

export type TokenLabel = (id: number) => string;

/** A labeller for a tokenizer's ids (unknown ids print as <id>). */
export function tokenLabeller(tok: Tokenizer): TokenLabel {
  return (id) => (tok.idToToken(id) ?? `<${id}>`).replace(/^Ġ/, '▁').replace(/Ċ/g, '\\n');
}

/** A vega expression that maps an ordinal axis value (a position) to its token string. */
export function labelExpr(labels: readonly string[]): string {
  return `${JSON.stringify(labels)}[datum.value]`;
}
