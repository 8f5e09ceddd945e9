// Unigram language-model vocabulary training (Kudo 2018, "Subword Regularization"), as SentencePiece's
// unigram_model_trainer and HF tokenizers' UnigramTrainer run it on pre-tokenized words:
//   1. seed: every character, plus the substrings that repeat in the word list (the internal nodes of its suffix
//      tree: LCP intervals of the suffix array, frequency x length as the score), the top `seedSize` of them;
//   2. EM: the E step sums each piece's expected count over every word's segmentation lattice (forward-backward),
//      the M step drops pieces expected < 0.5 times and sets log p = digamma(count) - digamma(total) (the
//      Bayesian / DP-prior variant both implementations use);
//   3. prune: each piece's loss is the drop in corpus likelihood if its Viterbi uses went to its second-best
//      segmentation; keep the pieces with the largest losses, max(shrinkingFactor x size, 1.1 x vocabSize) of them;
//   4. repeat 2-3 until the pieces fit 1.1 x vocabSize, then keep every character and the best pieces up to size.

import { ensure } from '../errors.js';
import { type Tokenizer, loadTokenizer } from './tokenizer.js';
import { countWords } from './train.js';

/** A word of the corpus after normalization and pre-tokenization (e.g. "▁the"), and how often it occurs. */
export type WordCount = [word: string, count: number];

export interface UnigramTrainOptions {
  /** Target size, special tokens included. */
  vocabSize: number;
  /** Special tokens at ids 0.. (score 0). */
  specialTokens: readonly string[];
  /** The special token that stands for unknown characters (must be one of specialTokens). */
  unkToken?: string;
  /** Pieces longer than this (in code points) are not seeded; default 16. */
  maxPieceLength?: number;
  /** Substrings seeded at most; default 1,000,000. */
  seedSize?: number;
  /** Share of pieces kept by each pruning round; default 0.75. */
  shrinkingFactor?: number;
  /** EM iterations between prunings; default 2. */
  subIterations?: number;
  /**
   * 'sentencepiece' (default): a pruned piece's count moves to its n alternatives, so the total grows by count x
   * (n - 1). 'hf': as HF tokenizers' UnigramTrainer, which multiplies by the number of all pieces minus 1 instead.
   */
  compat?: 'sentencepiece' | 'hf';
}

type Piece = [piece: string, logProb: number];

const UNK_PENALTY = 10; // a character outside the vocabulary scores min score - 10 (SentencePiece kUnkPenalty)

/** ψ(x), the digamma function: recurrence up to x >= 10, then the asymptotic series (Abramowitz & Stegun 6.3.18); error below 1e-13. */
export function digamma(x: number): number {
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

const logAddExp = (a: number, b: number): number =>
  a === -Infinity ? b : b === -Infinity ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));

/** Pieces by string for lattice building: matches[start] lists [end, pieceIndex] for the code points of a word. */
class PieceIndex {
  private readonly ids = new Map<string, number>();
  readonly maxLength: number;
  readonly minScore: number;

  constructor(readonly pieces: readonly Piece[]) {
    let maxLength = 1;
    let minScore = Infinity;
    pieces.forEach(([p, s], i) => {
      this.ids.set(p, i);
      maxLength = Math.max(maxLength, [...p].length);
      if (Number.isFinite(s)) minScore = Math.min(minScore, s);
    });
    this.maxLength = maxLength;
    this.minScore = Number.isFinite(minScore) ? minScore : 0;
  }

  /** The lattice of a word: for each start, the [end, piece, score] edges; -1 = the unknown piece. */
  edges(chars: readonly string[]): [number, number, number][][] {
    const out: [number, number, number][][] = [];
    for (let i = 0; i < chars.length; i++) {
      const at: [number, number, number][] = [];
      let single = false;
      let s = '';
      for (let j = i; j < Math.min(chars.length, i + this.maxLength); j++) {
        s += chars[j];
        const id = this.ids.get(s);
        if (id === undefined || id === 0) continue; // piece 0 is the training-time unknown
        at.push([j + 1, id, this.pieces[id][1]]);
        if (j === i) single = true;
      }
      if (!single) at.push([i + 1, 0, this.minScore - UNK_PENALTY]);
      out.push(at);
    }
    return out;
  }
}

/** E step for one word: adds count x the marginal of each piece to `expected`; returns log Z. */
function addMarginals(edges: [number, number, number][][], count: number, expected: Float64Array): number {
  const n = edges.length;
  const alpha = new Float64Array(n + 1).fill(-Infinity);
  const beta = new Float64Array(n + 1).fill(-Infinity);
  alpha[0] = 0;
  for (let i = 0; i < n; i++)
    if (alpha[i] > -Infinity) for (const [j, , s] of edges[i]) alpha[j] = logAddExp(alpha[j], alpha[i] + s);
  beta[n] = 0;
  for (let i = n - 1; i >= 0; i--) for (const [j, , s] of edges[i]) beta[i] = logAddExp(beta[i], s + beta[j]);
  const z = alpha[n];
  for (let i = 0; i < n; i++)
    for (const [j, id, s] of edges[i]) expected[id] += count * Math.exp(alpha[i] + s + beta[j] - z);
  return z;
}

/** The k best segmentations (piece indices), best first; k <= 2 is all pruning needs. */
function nBest(edges: [number, number, number][][], k: number): number[][] {
  const n = edges.length;
  // best[j] = up to k [score, from, rank at from, piece], by score descending
  const best: [number, number, number, number][][] = Array.from({ length: n + 1 }, () => []);
  best[0] = [[0, -1, -1, -1]];
  for (let i = 0; i < n; i++) {
    best[i].forEach(([score], rank) => {
      for (const [j, id, s] of edges[i]) {
        const list = best[j];
        list.push([score + s, i, rank, id]);
        list.sort((a, b) => b[0] - a[0]);
        if (list.length > k) list.length = k;
      }
    });
  }
  return best[n].map((_, rank) => {
    const path: number[] = [];
    for (let j = n, r = rank; j > 0; ) {
      const [, from, fromRank, id] = best[j][r];
      path.push(id);
      j = from;
      r = fromRank;
    }
    return path.reverse();
  });
}

/** Substrings that repeat in the word list (LCP intervals of its suffix array), scored frequency x length. */
function seedPieces(words: readonly WordCount[], maxLength: number, seedSize: number): Piece[] {
  const text: number[] = [];
  const charCounts = new Map<string, number>();
  for (const [w, c] of words) {
    for (const ch of w) {
      text.push(ch.codePointAt(0)!);
      charCounts.set(ch, (charCounts.get(ch) ?? 0) + c);
    }
    text.push(0); // boundary
  }
  const sa = suffixArray(text);
  const lcp = lcpArray(text, sa);
  const found: [score: number, piece: string][] = [];
  // Every LCP interval [l, r] with value d > 1 is a substring of length d occurring r - l + 1 times.
  const stack: [lcp: number, left: number][] = [];
  for (let i = 1; i <= text.length; i++) {
    const h = i < text.length ? lcp[i] : 0;
    let left = i - 1;
    while (stack.length > 0 && stack[stack.length - 1][0] > h) {
      const [d, l] = stack.pop()!;
      left = l;
      const freq = i - l;
      addCandidate(found, text, sa[l], d, freq, maxLength);
    }
    if (h > 0 && (stack.length === 0 || stack[stack.length - 1][0] < h)) stack.push([h, left]);
  }
  const chars = [...charCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1));
  found.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
  const seeds: [string, number][] = chars.map(([ch, c]) => [ch, c]);
  const seen = new Set(seeds.map(([p]) => p));
  for (const [score, piece] of found) {
    if (seeds.length >= seedSize) break;
    if (seen.has(piece)) continue;
    seen.add(piece);
    seeds.push([piece, score]);
  }
  const logSum = Math.log(seeds.reduce((a, [, s]) => a + s, 0));
  return seeds.map(([p, s]) => [p, Math.log(s) - logSum]);
}

function addCandidate(
  found: [number, string][],
  text: number[],
  start: number,
  d: number,
  freq: number,
  maxLength: number,
): void {
  if (d <= 1 || d > maxLength) return;
  const cps = text.slice(start, start + d);
  if (cps.includes(0)) return;
  found.push([freq * d, String.fromCodePoint(...cps)]);
}

/** Suffix array by prefix doubling (Manber-Myers with sorting), O(n log^2 n). */
function suffixArray(s: number[]): Int32Array {
  const n = s.length;
  const sa = Int32Array.from({ length: n }, (_, i) => i);
  let rank = Int32Array.from(s);
  const next = new Int32Array(n);
  for (let k = 1; ; k *= 2) {
    const key = (i: number) => (i + k < n ? rank[i + k] : -1);
    const arr = Array.from(sa).sort((a, b) => rank[a] - rank[b] || key(a) - key(b));
    sa.set(arr);
    next[sa[0]] = 0;
    for (let i = 1; i < n; i++)
      next[sa[i]] = next[sa[i - 1]] + (rank[sa[i]] !== rank[sa[i - 1]] || key(sa[i]) !== key(sa[i - 1]) ? 1 : 0);
    rank = Int32Array.from(next);
    if (rank[sa[n - 1]] === n - 1 || k >= n) return sa;
  }
}

/** lcp[i] = common prefix length of suffixes sa[i - 1] and sa[i] (Kasai et al.), lcp[0] = 0; boundaries (0) never match. */
function lcpArray(s: number[], sa: Int32Array): Int32Array {
  const n = s.length;
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[sa[i]] = i;
  const lcp = new Int32Array(n);
  let h = 0;
  for (let i = 0; i < n; i++) {
    if (rank[i] > 0) {
      const j = sa[rank[i] - 1];
      while (i + h < n && j + h < n && s[i + h] === s[j + h] && s[i + h] !== 0) h++;
      lcp[rank[i]] = h;
      if (h > 0) h--;
    } else h = 0;
  }
  return lcp;
}

function eStep(index: PieceIndex, words: readonly WordCount[], chars: readonly string[][]): Float64Array {
  const expected = new Float64Array(index.pieces.length);
  words.forEach(([, c], w) => addMarginals(index.edges(chars[w]), c, expected));
  return expected;
}

function mStep(pieces: readonly Piece[], expected: Float64Array): Piece[] {
  const kept: [string, number][] = [[pieces[0][0], NaN]];
  let sum = 0;
  for (let i = 1; i < pieces.length; i++) {
    if (expected[i] < 0.5) continue;
    kept.push([pieces[i][0], expected[i]]);
    sum += expected[i];
  }
  const logSum = digamma(sum);
  return kept.map(([p, c], i) => [p, i === 0 ? NaN : digamma(c) - logSum]);
}

function prune(
  index: PieceIndex,
  words: readonly WordCount[],
  chars: readonly string[][],
  keepAtLeast: number,
  shrink: number,
  hf: boolean,
): Piece[] {
  const { pieces } = index;
  const alternatives: number[][] = pieces.map(() => []);
  const alwaysKeep = new Uint8Array(pieces.length).fill(1);
  for (let id = 1; id < pieces.length; id++) {
    const best = nBest(index.edges([...pieces[id][0]]), 2);
    if (best.length >= 2 && best[0].length >= 2)
      alwaysKeep[id] = 0; // its own string segments better without it
    else if (best.length >= 2 && best[0].length === 1) alternatives[id] = best[1];
  }
  const freq = new Float64Array(pieces.length);
  const uses = new Float64Array(pieces.length); // word counts summed over the words whose Viterbi uses the piece
  let total = 0;
  words.forEach(([, c], w) => {
    total += c;
    for (const id of nBest(index.edges(chars[w]), 1)[0]) {
      freq[id] += c;
      uses[id] += c;
    }
  });
  const sum = freq.reduce((a, b) => a + b, 0);
  const logSum = Math.log(sum);
  const out: Piece[] = [pieces[0]];
  const candidates: [id: number, loss: number][] = [];
  for (let id = 1; id < pieces.length; id++) {
    if (freq[id] === 0 && !alwaysKeep[id]) continue; // never on a Viterbi path
    if (alternatives[id].length === 0) {
      out.push(pieces[id]);
      continue;
    }
    const f = uses[id] / total;
    const logProb = Math.log(freq[id]) - logSum;
    const moved = hf ? pieces.length - 1 : alternatives[id].length - 1;
    const logSumAlt = Math.log(sum + freq[id] * moved);
    let logProbAlt = 0;
    for (const alt of alternatives[id]) logProbAlt += Math.log(freq[alt] + freq[id]) - logSumAlt;
    if (f === 0 || Number.isNaN(f)) continue;
    candidates.push([id, f * (logProb - logProbAlt)]);
  }
  const size = Math.max(keepAtLeast, Math.floor(pieces.length * shrink));
  candidates.sort((a, b) => b[1] - a[1]);
  for (const [id] of candidates) {
    if (out.length >= size) break;
    out.push(pieces[id]);
  }
  return out;
}

/** The trained vocabulary: specials (score 0) first, then pieces by score, every character included. */
export function trainUnigramPieces(words: readonly WordCount[], o: UnigramTrainOptions): Piece[] {
  const maxLength = o.maxPieceLength ?? 16;
  const desired = Math.floor((o.vocabSize * 11) / 10);
  const chars = words.map(([w]) => [...w]);
  let pieces: Piece[] = [['<UNK>', NaN], ...seedPieces(words, maxLength, o.seedSize ?? 1_000_000)];
  for (;;) {
    for (let it = 0; it < (o.subIterations ?? 2); it++)
      pieces = mStep(pieces, eStep(new PieceIndex(pieces), words, chars));
    if (pieces.length <= desired) break;
    pieces = prune(new PieceIndex(pieces), words, chars, desired, o.shrinkingFactor ?? 0.75, o.compat === 'hf');
  }
  return finalize(pieces, chars, o);
}

function finalize(pieces: readonly Piece[], chars: readonly string[][], o: UnigramTrainOptions): Piece[] {
  const scores = new Map(pieces.slice(1).map(([p, s]) => [p, s]));
  const minScore = Math.min(...pieces.slice(1).map(([, s]) => s));
  const out: Piece[] = [];
  const inserted = new Set<string>(['<UNK>', ...o.specialTokens]);
  let penalty = 0;
  const required = [...new Set(chars.flat())].sort();
  for (const ch of required) {
    inserted.add(ch);
    const s = scores.get(ch);
    out.push([ch, s ?? minScore + penalty]);
    if (s === undefined) penalty += 0.0001;
  }
  const room = o.vocabSize - o.specialTokens.length;
  for (const [p, s] of pieces.slice(1)) {
    if (out.length >= room) break;
    if (inserted.has(p)) continue;
    inserted.add(p);
    out.push([p, s]);
  }
  out.sort((a, b) => b[1] - a[1]);
  return [...o.specialTokens.map((t): Piece => [t, 0]), ...out];
}

export interface UnigramTokenizerOptions extends Omit<UnigramTrainOptions, 'specialTokens'> {
  /** Special tokens at ids 0..; default T5's ['<pad>', '</s>', '<unk>'] (unk = '<unk>'). */
  specialTokens?: readonly string[];
}

/**
 * A SentencePiece-style Unigram tokenizer, laid out as transformers converts a SentencePiece model: NFKC and runs
 * of spaces collapsed, Metaspace ("▁", prepended to every word), the Unigram model with unk_id, Metaspace decoding.
 */
export function trainUnigram(texts: Iterable<string>, opts: UnigramTokenizerOptions): Tokenizer {
  const specialTokens = opts.specialTokens ?? ['<pad>', '</s>', '<unk>'];
  const unkToken = opts.unkToken ?? (specialTokens.includes('<unk>') ? '<unk>' : undefined);
  ensure(
    Number.isInteger(opts.vocabSize) && opts.vocabSize > specialTokens.length,
    `vocabSize must be an integer above the ${specialTokens.length} special tokens, got ${opts.vocabSize}`,
  );
  ensure(
    unkToken === undefined || specialTokens.includes(unkToken),
    `the unk token ${unkToken} must be one of the special tokens`,
  );
  const normalizer = {
    type: 'Sequence',
    normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }],
  };
  const metaspace = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
  const words = [...countWords(texts, normalizer, metaspace)].filter(([w]) => w !== '');
  ensure(words.length > 0, 'unigram training: the texts have no words');
  const pieces = trainUnigramPieces(words, { ...opts, specialTokens, unkToken });
  return loadTokenizer({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer,
    pre_tokenizer: metaspace,
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    model: {
      type: 'Unigram',
      unk_id: unkToken === undefined ? null : specialTokens.indexOf(unkToken),
      vocab: pieces,
      byte_fallback: false,
    },
  });
}
