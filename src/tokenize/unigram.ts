// Unigram model: Viterbi best segmentation under piece log-probabilities (Kudo 2018; sentencepiece
// unigram_model.cc; HF models/unigram). Unknown chars score min_score - 10; adjacent unknowns fuse into one.
// e.g. pieces {a:-1, b:-1, ab:-1.5}: "ab" -> [ab] (-1.5 > -2).
import { PretextError } from '../errors.js';
import { type Json, getArray, getBool } from './json-fields.js';
import type { Model } from './model.js';
import type { TokenRun } from './pre-tokenizers.js';
import { RunCache } from './run-cache.js';
import { unitsAt } from './normalized-string.js';

const UNK_PENALTY = 10;

export function unigramFromJSON(o: Json): Model {
  const raw = getArray(o, 'vocab', 'Unigram');
  const pieces: [string, number][] = raw.map((p, i) => {
    if (!Array.isArray(p) || typeof p[0] !== 'string' || typeof p[1] !== 'number')
      throw new PretextError(`Unigram vocab ${i} must be [piece, score]`);
    return [p[0], p[1]];
  });
  const unk = o.unk_id;
  if (
    unk !== undefined &&
    unk !== null &&
    (typeof unk !== 'number' || !Number.isInteger(unk) || unk < 0 || unk >= pieces.length)
  ) {
    throw new PretextError(`Unigram: unk_id ${JSON.stringify(unk)} is outside the vocabulary`);
  }
  return new Unigram(pieces, typeof unk === 'number' ? unk : null, getBool(o, 'byte_fallback', 'Unigram', false));
}

export class Unigram implements Model {
  readonly type = 'Unigram';
  readonly size: number;
  readonly maxId: number;
  readonly unkToken: string | null;
  private readonly ids = new Map<string, number>();
  private readonly maxLen: number;
  private readonly unkScore: number;
  private readonly cache = new RunCache();

  constructor(
    private readonly pieces: [string, number][],
    private readonly unkId: number | null,
    private readonly byteFallback: boolean,
  ) {
    if (pieces.length === 0) throw new PretextError('Unigram: the vocabulary is empty');
    let min = Infinity;
    let maxLen = 0;
    pieces.forEach(([p, score], id) => {
      this.ids.set(p, id);
      if (score < min) min = score;
      if (p.length > maxLen) maxLen = p.length;
    });
    this.size = pieces.length;
    this.maxId = pieces.length - 1;
    this.maxLen = maxLen;
    this.unkScore = min - UNK_PENALTY;
    this.unkToken = unkId === null ? null : pieces[unkId][0];
  }

  tokenToId(t: string): number | undefined {
    return this.ids.get(t);
  }

  idToToken(id: number): string | undefined {
    return this.pieces[id]?.[0];
  }

  tokenize(word: string): TokenRun {
    let run = this.cache.get(word);
    if (run === undefined) {
      run = this.toRun(word, this.segment(word));
      this.cache.set(word, run);
    }
    return run;
  }

  /** Best path as [start, end, id] in UTF-16 units; unknown spans fused. */
  private segment(s: string): [number, number, number][] {
    const n = s.length;
    if (n === 0) return [];
    const score = new Float64Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    const id = new Int32Array(n + 1);
    for (let a = 0; a < n; a = next(s, a)) {
      const base = score[a];
      const single = next(s, a);
      let hasSingle = false;
      const limit = Math.min(n, a + this.maxLen);
      for (let b = single; b <= limit; b = next(s, b)) {
        const pid = this.ids.get(s.slice(a, b));
        if (pid !== undefined) {
          const cand = base + this.pieces[pid][1];
          if (from[b] < 0 || cand > score[b]) {
            score[b] = cand;
            from[b] = a;
            id[b] = pid;
          }
          if (b === single) hasSingle = true;
        }
        if (b === n) break;
      }
      if (!hasSingle) {
        if (this.unkId === null)
          throw new PretextError('Unigram: encountered an unknown character but the model has no unk_id');
        const cand = base + this.unkScore;
        if (from[single] < 0 || cand > score[single]) {
          score[single] = cand;
          from[single] = a;
          id[single] = this.unkId;
        }
      }
    }
    const out: [number, number, number][] = [];
    for (let e = n; e > 0; e = from[e]) {
      const a = from[e];
      const last = out[out.length - 1];
      if (id[e] === this.unkId && last !== undefined && last[2] === this.unkId && last[0] === e) last[0] = a;
      else out.push([a, e, id[e]]);
    }
    return out.reverse();
  }

  /** Path to tokens: each span's text is looked up again (a fused unknown span keeps its text, id unk),
   * or, with byte_fallback, becomes <0xXX> tokens that all cover the span (HF Unigram::tokenize). */
  private toRun(word: string, path: [number, number, number][]): TokenRun {
    const run: TokenRun = { ids: [], tokens: [], starts: [], ends: [] };
    for (const [a, b] of path) {
      const text = word.slice(a, b);
      let pid = this.ids.get(text);
      if (pid === undefined && this.byteFallback) {
        const bytes = [...new TextEncoder().encode(text)].map(
          (x) => `<0x${x.toString(16).toUpperCase().padStart(2, '0')}>`,
        );
        const bids = bytes.map((t) => this.ids.get(t));
        if (bids.every((x) => x !== undefined)) {
          bytes.forEach((t, i) => {
            run.ids.push(bids[i]!);
            run.tokens.push(t);
            run.starts.push(a);
            run.ends.push(b);
          });
          continue;
        }
      }
      if (pid === undefined) pid = this.unkId!;
      run.ids.push(pid);
      run.tokens.push(text);
      run.starts.push(a);
      run.ends.push(b);
    }
    return run;
  }
}

/** Index after the code point at i. */
function next(s: string, i: number): number {
  return i + unitsAt(s, i);
}
