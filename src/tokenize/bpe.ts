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

  constructor(private readonly vocab: Map<string, number>, merges: [string, string][], private readonly opts: BpeOptions) {
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
        ids.push(id); starts.push(a); ends.push(pos);
        unkAt = -1;
        continue;
      }
      if (byteFallback) {
        const bytes = [...new TextEncoder().encode(s)].map((b) => this.vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
        if (bytes.every((b) => b !== undefined)) {
          for (const b of bytes) { ids.push(b!); starts.push(a); ends.push(pos); }
          unkAt = -1;
          continue;
        }
      }
      if (unkToken === null) continue;
      const unk = this.vocab.get(unkToken);
      if (unk === undefined) throw new PretextError(`BPE: unk token ${JSON.stringify(unkToken)} is missing from the vocabulary`);
      if (fuseUnk && unkAt >= 0 && unkAt === ids.length - 1) {
        ends[unkAt] = pos;
      } else {
        ids.push(unk); starts.push(a); ends.push(pos);
        unkAt = ids.length - 1;
      }
    }
  }

  /** Apply merges in place: the lowest rank first, the leftmost among equals. */
  private mergeAll(ids: number[], ends: number[], starts: number[]): void {
    const { merges } = this;
    for (;;) {
      let best = Infinity;
      let at = -1;
      for (let i = 0; i + 1 < ids.length; i++) {
        const m = merges.get(pairKey(ids[i], ids[i + 1]));
        if (m !== undefined && m < best) {
          best = m;
          at = i;
        }
      }
      if (at < 0) return;
      ids[at] = best % 4194304;
      ends[at] = ends[at + 1];
      ids.splice(at + 1, 1);
      ends.splice(at + 1, 1);
      starts.splice(at + 1, 1);
    }
  }
}
