// BPE model: split a word into chars, then apply the lowest-rank merge (leftmost first) until none applies
// (Sennrich et al. 2016; HF models/bpe). e.g. merges [l o, lo w]: "low" -> l o w -> lo w -> low.
import { PretextError } from '../errors.js';
import { type Json, getBool, getOptStr } from './json-fields.js';
import type { Model } from './model.js';
import type { TokenRun } from './pre-tokenizers.js';
import { RunCache } from './run-cache.js';
import { readVocab, reverseVocab } from './vocab-map.js';

export interface BpeOptions {
  unkToken: string | null;
  prefix: string | null;
  suffix: string | null;
  fuseUnk: boolean;
  byteFallback: boolean;
  ignoreMerges: boolean;
}

/** Key of the pair (a, b); ids below 2^22 keep it exact. */
export const pairKey = (a: number, b: number): number => a * 4194304 + b;

export function readMerges(merges: unknown): [string, string][] {
  if (!Array.isArray(merges)) throw new PretextError('BPE: "merges" must be an array');
  return merges.map((m, i) => {
    if (typeof m === 'string') {
      const at = m.indexOf(' ', 1);
      if (at < 0) throw new PretextError(`BPE: merge ${i} ${JSON.stringify(m)} is not "a b"`);
      return [m.slice(0, at), m.slice(at + 1)];
    }
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') return [m[0], m[1]];
    throw new PretextError(`BPE: merge ${i} must be "a b" or ["a", "b"]`);
  });
}

export function bpeFromJSON(o: Json): Model {
  return new Bpe(readVocab(o.vocab, 'BPE'), readMerges(o.merges), {
    unkToken: getOptStr(o, 'unk_token', 'BPE'),
    prefix: getOptStr(o, 'continuing_subword_prefix', 'BPE'),
    suffix: getOptStr(o, 'end_of_word_suffix', 'BPE'),
    fuseUnk: getBool(o, 'fuse_unk', 'BPE', false),
    byteFallback: getBool(o, 'byte_fallback', 'BPE', false),
    ignoreMerges: getBool(o, 'ignore_merges', 'BPE', false),
  });
}

export class Bpe implements Model {
  readonly type = 'BPE';
  readonly size: number;
  readonly maxId: number;
  readonly unkToken: string | null;
  private readonly byId: Map<number, string>;
  /** pairKey(a, b) -> rank * 2^22 + merged id. */
  private readonly merges = new Map<number, number>();
  private readonly cache = new RunCache();

  constructor(
    private readonly vocab: Map<string, number>,
    merges: [string, string][],
    private readonly opts: BpeOptions,
  ) {
    const r = reverseVocab(vocab);
    this.byId = r.byId;
    this.maxId = r.maxId;
    this.size = vocab.size;
    this.unkToken = opts.unkToken;
    const cut = opts.prefix?.length ?? 0;
    merges.forEach(([a, b], rank) => {
      const ia = vocab.get(a);
      const ib = vocab.get(b);
      const merged = vocab.get(a + b.slice(cut));
      if (ia === undefined || ib === undefined || merged === undefined) {
        throw new PretextError(`BPE: merge ${rank} "${a} ${b}" uses a token missing from the vocabulary`);
      }
      this.merges.set(pairKey(ia, ib), rank * 4194304 + merged); // a repeated pair keeps its last rank, as HF's HashMap
    });
  }

  tokenToId(t: string): number | undefined {
    return this.vocab.get(t);
  }

  idToToken(id: number): string | undefined {
    return this.byId.get(id);
  }

  tokenize(word: string): TokenRun {
    if (word.length === 0) return { ids: [], tokens: [], starts: [], ends: [] };
    let run = this.cache.get(word);
    if (run === undefined) {
      run = this.encodeWord(word);
      this.cache.set(word, run);
    }
    return run;
  }

  private encodeWord(word: string): TokenRun {
    const whole = this.opts.ignoreMerges ? this.vocab.get(word) : undefined;
    if (whole !== undefined) return { ids: [whole], tokens: [word], starts: [0], ends: [word.length] };
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    this.initialSymbols(word, ids, starts, ends);
    this.mergeAll(ids, ends, starts);
    return { ids, tokens: ids.map((id) => this.byId.get(id)!), starts, ends };
  }

  /** One symbol per char (prefix on non-first, suffix on last); unknown chars -> byte tokens or (fused) unk. */
  private initialSymbols(word: string, ids: number[], starts: number[], ends: number[]): void {
    const { prefix, suffix, unkToken, fuseUnk, byteFallback } = this.opts;
    let unkAt = -1; // index in ids of a pending unk symbol, for fusing
    const chars = [...word];
    let pos = 0;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const a = pos;
      pos += c.length;
      let s = i > 0 && prefix !== null ? prefix + c : c;
      if (i === chars.length - 1 && suffix !== null) s += suffix;
      const id = this.vocab.get(s);
      if (id !== undefined) {
        ids.push(id);
        starts.push(a);
        ends.push(pos);
        unkAt = -1;
        continue;
      }
      if (byteFallback) {
        const bytes = [...new TextEncoder().encode(s)].map((b) =>
          this.vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`),
        );
        if (bytes.every((b) => b !== undefined)) {
          for (const b of bytes) {
            ids.push(b!);
            starts.push(a);
            ends.push(pos);
          }
          unkAt = -1;
          continue;
        }
      }
      if (unkToken === null) continue;
      const unk = this.vocab.get(unkToken);
      if (unk === undefined)
        throw new PretextError(`BPE: unk token ${JSON.stringify(unkToken)} is missing from the vocabulary`);
      if (fuseUnk && unkAt >= 0 && unkAt === ids.length - 1) {
        ends[unkAt] = pos;
      } else {
        ids.push(unk);
        starts.push(a);
        ends.push(pos);
        unkAt = ids.length - 1;
      }
    }
  }

  /**
   * Apply merges in place: the lowest rank first, the leftmost among equals (HF Word::merge_all). Symbols form
   * a linked list; a min-heap keyed rank * 2^22 + position holds candidate pairs, checked again when popped.
   */
  private mergeAll(ids: number[], ends: number[], starts: number[]): void {
    const n = ids.length;
    if (n < 2) return;
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    const heap = new MinHeap();
    const consider = (i: number): void => {
      const j = next[i];
      if (i < 0 || j < 0) return;
      const m = this.merges.get(pairKey(ids[i], ids[j]));
      if (m !== undefined) heap.push(Math.floor(m / 4194304) * 4194304 + i);
    };
    for (let i = 0; i + 1 < n; i++) consider(i);
    const alive = new Uint8Array(n).fill(1);
    while (heap.size > 0) {
      const key = heap.pop();
      const i = key % 4194304;
      const j = next[i];
      if (!alive[i] || j < 0) continue;
      const m = this.merges.get(pairKey(ids[i], ids[j]));
      if (m === undefined || Math.floor(m / 4194304) !== Math.floor(key / 4194304)) continue;
      ids[i] = m % 4194304;
      ends[i] = ends[j];
      alive[j] = 0;
      next[i] = next[j];
      if (next[j] >= 0) prev[next[j]] = i;
      consider(prev[i]);
      consider(i);
    }
    let w = 0;
    for (let i = 0; i >= 0 && i < n; i = next[i]) {
      ids[w] = ids[i];
      starts[w] = starts[i];
      ends[w] = ends[i];
      w++;
    }
    ids.length = starts.length = ends.length = w;
  }
}

/** Binary min-heap of numbers. */
class MinHeap {
  private h: number[] = [];
  get size(): number {
    return this.h.length;
  }
  push(x: number): void {
    const h = this.h;
    h.push(x);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p] <= h[i]) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }
  pop(): number {
    const h = this.h;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l] < h[m]) m = l;
        if (r < h.length && h[r] < h[m]) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}
