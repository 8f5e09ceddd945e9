// Held-out token windows: each document's text (sentences joined by spaces) tokenized without special tokens and
// cut into consecutive, non-overlapping windows of at most L tokens: the first ceil(maxTokens / documents) tokens of
// every document, so a token budget spreads over all of them (Brown's files are ordered by genre).
import type { Document } from '../corpus/document.js';
import { ensure } from '../errors.js';
import type { Tokenizer } from '../tokenize/index.js';

export interface Windows {
  windows: Int32Array[];
  documents: number;
  tokens: number;
}

/** Windows of at most L tokens (a document's last window may be shorter; windows under `minLength` are dropped). */
export function documentWindows(
  docs: readonly Document[],
  tokenizer: Tokenizer,
  L: number,
  maxTokens: number,
  minLength = 1,
): Windows {
  ensure(Number.isInteger(maxTokens) && maxTokens >= 1, `max tokens must be a positive integer, got ${maxTokens}`);
  const out: Windows = { windows: [], documents: 0, tokens: 0 };
  const quota = Math.ceil(maxTokens / Math.max(1, docs.length));
  for (const doc of docs) {
    if (out.tokens >= maxTokens) break;
    const all = tokenizer.encode(doc.sentences.join(' '), undefined, { addSpecialTokens: false }).ids;
    const ids = all.subarray(0, Math.min(all.length, quota, maxTokens - out.tokens));
    let used = false;
    for (let s = 0; s < ids.length; s += L) {
      const w = ids.slice(s, Math.min(s + L, ids.length));
      if (w.length < minLength) continue;
      out.windows.push(w);
      out.tokens += w.length;
      used = true;
    }
    if (used) out.documents++;
  }
  ensure(out.windows.length > 0, 'no held-out text to evaluate (the held-out documents tokenized to nothing)');
  return out;
}

/**
 * Up to n pairs (a sentence, the next sentence of its document) from the held-out documents, at most
 * ceil(n / documents) from each so they spread over all of them; ids without special tokens, cut to maxLen.
 */
export function adjacentSentencePairs(
  docs: readonly Document[],
  tokenizer: Tokenizer,
  maxLen: number,
  n: number,
): { x: Int32Array; y: Int32Array }[] {
  ensure(Number.isInteger(n) && n >= 2, `pairs must be an integer >= 2, got ${n}`);
  const quota = Math.ceil(n / Math.max(1, docs.length));
  const out: { x: Int32Array; y: Int32Array }[] = [];
  for (const doc of docs) {
    const ids = doc.sentences
      .map((s) => tokenizer.encode(s, undefined, { addSpecialTokens: false }).ids.slice(0, maxLen))
      .filter((s) => s.length > 0);
    for (let i = 0; i + 1 < ids.length && i < quota && out.length < n; i++) out.push({ x: ids[i], y: ids[i + 1] });
  }
  return out;
}
