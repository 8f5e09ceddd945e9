// BPE training over word counts, as HF's BpeTrainer (models/bpe/trainer.rs): specials first, then the
// alphabet sorted by code point, then one token per merge of the most frequent pair (ties: smallest ids).
// Pair counts are updated incrementally from the words each merge touches; queue entries are lazy.
// e.g. {"low": 5, "lower": 2}: alphabet [e l o r w], first merge (l, o) -> "lo" (count 7).
import { pairKey } from './bpe.js';

export interface BpeTrainOptions {
  vocabSize: number;
  minFrequency: number;
  specialTokens: readonly string[];
  limitAlphabet?: number;
  initialAlphabet?: readonly string[];
  /** WordPiece's '##': put on every non-first char; dropped from the right part when merging. */
  continuingSubwordPrefix?: string;
}

export interface BpeTrainResult {
  /** Tokens by id. */
  vocab: string[];
  /** Merges in rank order. */
  merges: [string, string][];
}

interface Entry {
  a: number;
  b: number;
  count: number;
  pos: Set<number>;
}

/** Max-heap order: higher count first, then the smaller pair (a, b). */
function before(x: Entry, y: Entry): boolean {
  if (x.count !== y.count) return x.count > y.count;
  return x.a !== y.a ? x.a < y.a : x.b < y.b;
}

class Heap {
  private items: Entry[] = [];
  get size(): number {
    return this.items.length;
  }
  push(e: Entry): void {
    const h = this.items;
    h.push(e);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): Entry | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

export function trainBpe(wordCounts: ReadonlyMap<string, number>, opts: BpeTrainOptions): BpeTrainResult {
  const st = new TrainState(opts.continuingSubwordPrefix ?? '');
  for (const s of opts.specialTokens) st.add(s);
  for (const c of alphabet(wordCounts, opts)) st.add(c);
  st.tokenizeWords(wordCounts);
  st.countPairs();
  const merges: [string, string][] = [];
  while (st.vocab.length < opts.vocabSize && st.queue.size > 0) {
    const top = st.queue.pop()!;
    const current = st.pairCounts.get(pairKey(top.a, top.b))!;
    if (top.count !== current) {
      top.count = current;
      st.queue.push(top);
      continue;
    }
    if (top.count < 1 || opts.minFrequency > top.count) break;
    merges.push(st.merge(top));
  }
  // A pair merged twice (split queue entries) keeps its last rank, as HF's merge HashMap does.
  const last = new Map(merges.map((m, i) => [m.join('\u0000'), i]));
  return { vocab: st.vocab, merges: merges.filter((m, i) => last.get(m.join('\u0000')) === i) };
}

/** Vocabulary, words as symbol ids, pair counts and the lazy queue (entries carry the words to visit). */
class TrainState {
  readonly vocab: string[] = [];
  readonly ids = new Map<string, number>();
  readonly words: number[][] = [];
  readonly counts: number[] = [];
  readonly pairCounts = new Map<number, number>();
  readonly queue = new Heap();
  private where = new Map<number, Set<number>>();

  constructor(private readonly prefix: string) {}

  add(t: string): number {
    let id = this.ids.get(t);
    if (id === undefined) {
      id = this.vocab.length;
      this.vocab.push(t);
      this.ids.set(t, id);
    }
    return id;
  }

  /** Words as symbol ids; chars outside the alphabet are dropped (HF tokenize_words). */
  tokenizeWords(wordCounts: ReadonlyMap<string, number>): void {
    for (const [word, count] of wordCounts) {
      const syms: number[] = [];
      let first = true;
      for (const c of word) {
        if (this.ids.has(c)) syms.push(this.add(first ? c : this.prefix + c));
        first = false;
      }
      this.words.push(syms);
      this.counts.push(count);
    }
  }

  countPairs(): void {
    this.words.forEach((w, i) => {
      for (let k = 0; k + 1 < w.length; k++) this.change(pairKey(w[k], w[k + 1]), this.counts[i], i);
    });
    this.flush();
  }

  private change(key: number, delta: number, word: number): void {
    this.pairCounts.set(key, (this.pairCounts.get(key) ?? 0) + delta);
    if (delta <= 0) return;
    let s = this.where.get(key);
    if (!s) this.where.set(key, (s = new Set()));
    s.add(word);
  }

  /** Queue every pair that gained occurrences since the last flush, with those words. */
  private flush(): void {
    for (const [key, pos] of this.where) {
      const count = this.pairCounts.get(key)!;
      if (count > 0) this.queue.push({ a: Math.floor(key / 4194304), b: key % 4194304, count, pos });
    }
    this.where = new Map();
  }

  /** Merge the entry's pair in its words; returns the merge as token strings. */
  merge(top: Entry): [string, string] {
    const left = this.vocab[top.a];
    const right = this.vocab[top.b];
    const tail = this.prefix !== '' && right.startsWith(this.prefix) ? right.slice(this.prefix.length) : right;
    const merged = this.add(left + tail);
    for (const i of top.pos) {
      for (const [key, change] of mergeWord(this.words[i], top.a, top.b, merged))
        this.change(key, change * this.counts[i], i);
    }
    this.flush();
    return [left, right];
  }
}

/** Replace each (a, b) in w by m, left to right; returns the pair count changes (HF Word::merge). */
function mergeWord(w: number[], a: number, b: number, m: number): [number, number][] {
  const changes: [number, number][] = [];
  for (let i = 0; i < w.length; i++) {
    if (w[i] !== a || i + 1 >= w.length || w[i + 1] !== b) continue;
    if (i > 0) changes.push([pairKey(w[i - 1], a), -1], [pairKey(w[i - 1], m), 1]);
    w.splice(i, 2, m);
    if (i < w.length - 1) changes.push([pairKey(b, w[i + 1]), -1], [pairKey(m, w[i + 1]), 1]);
  }
  return changes;
}

/** Chars by weighted count plus the initial alphabet, cut to the most frequent `limitAlphabet`, sorted. */
function alphabet(wordCounts: ReadonlyMap<string, number>, opts: BpeTrainOptions): string[] {
  const freq = new Map<string, number>();
  for (const [word, count] of wordCounts) for (const c of word) freq.set(c, (freq.get(c) ?? 0) + count);
  for (const c of opts.initialAlphabet ?? []) freq.set(c, Infinity);
  let kept = [...freq];
  const limit = opts.limitAlphabet;
  if (limit !== undefined && kept.length > limit) {
    kept.sort((x, y) => x[1] - y[1] || y[0].codePointAt(0)! - x[0].codePointAt(0)!);
    kept = kept.slice(kept.length - limit);
  }
  return kept.map(([c]) => c).sort((x, y) => x.codePointAt(0)! - y.codePointAt(0)!);
}
