// Token ids -> the strings figures print: src/view's tokenText (byte-level 'Ġ' as '▁', newlines escaped), as in show.
import type { Tokenizer } from '../tokenize/index.js';
import { tokenText } from '../view/index.js';

export type TokenLabel = (id: number) => string;

/** A labeller for a tokenizer's ids (unknown ids print as <id>). */
export function tokenLabeller(tok: Tokenizer): TokenLabel {
  return (id) => tokenText(tok, id);
}

/** A vega expression that maps an ordinal axis value (a position) to its token string. */
export function labelExpr(labels: readonly string[]): string {
  return `${JSON.stringify(labels)}[datum.value]`;
}
