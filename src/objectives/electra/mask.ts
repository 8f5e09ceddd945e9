// ELECTRA generator masking (google-research/electra pretrain_helpers.mask). Per row of L real tokens:
// num = max(1, min(cap, round(L * p))) positions drawn uniformly WITH replacement from the candidates, cap one
// number per batch (int((p + 0.005) * max_seq_length)); each draw is [MASK] with maskReplaceProb, else kept. A
// position drawn twice is masked if any draw says so (ELECTRA's scatter skips the "keep" draws). Labels: original id
// at every drawn position, -100 elsewhere. Candidates: non-special tokens (compat 'electra': all but CLS/SEP/MASK/PAD).
import type { RowArena } from '../../batch/arena.js';
import type { Rng } from '../../rng/rng.js';
import { boundedDraw, fillDraws } from '../mlm/draws.js';
import { scratchI32, scratchU32 } from '../mlm/scratch.js';
import { vocabTables } from '../mlm/vocab-tables.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { roundHalfEven } from '../round.js';
import type { VocabInfo } from '../../tokenize/vocab.js';
import { electraCap, type ElectraOptions } from './options.js';

const TWO_POW_32 = 4294967296;

export interface ElectraRow {
  input_ids: Int32Array;
  labels: Int32Array;
  /** [num] positions as drawn (duplicates kept); 0 entries when the row has no eligible token */
  masked_positions: Int32Array;
}

/** The number of positions ELECTRA draws for a row of `numReal` real tokens (specials included). */
export function electraCount(numReal: number, opts: ElectraOptions): number {
  return Math.max(1, Math.min(electraCap(opts), roundHalfEven(numReal * opts.maskProb)));
}

/** [V] 1 where an id may not be drawn: every special, or with compat 'electra' only CLS, SEP, MASK and PAD. */
function excludedIds(vocab: VocabInfo, opts: ElectraOptions): Uint8Array {
  const { special } = vocabTables(vocab);
  if (opts.compat !== 'electra') return special;
  let m = electraExcluded.get(vocab);
  if (!m) {
    m = new Uint8Array(special.length);
    for (const id of [vocab.clsId, vocab.sepId, vocab.maskId, vocab.padId]) if (id !== undefined) m[id] = 1;
    electraExcluded.set(vocab, m);
  }
  return m;
}
const electraExcluded = new WeakMap<VocabInfo, Uint8Array>();

/** Mask one unpadded row (ids in [0, V), not mutated). vocab.maskId must be set. */
export function electraMask(
  ids: Int32Array,
  opts: ElectraOptions,
  vocab: VocabInfo,
  rng: Rng,
  arena?: RowArena,
): ElectraRow {
  const special = excludedIds(vocab, opts);
  const L = ids.length;
  const maskId = vocab.maskId ?? 0;
  const cand = scratchI32(0, L);
  let nCand = 0;
  for (let i = 0; i < L; i++) if (!special[ids[i]]) cand[nCand++] = i;
  const num = nCand === 0 ? 0 : electraCount(L, opts);
  const input = arena ? arena.int32(L) : new Int32Array(L);
  input.set(ids);
  const labels = (arena ? arena.int32(L) : new Int32Array(L)).fill(IGNORE_INDEX);
  const positions = arena ? arena.int32(num) : new Int32Array(num);
  const toMask = opts.maskReplaceProb * TWO_POW_32;
  const u = fillDraws(scratchU32(2 * num), 2 * num, rng); // per draw: position, then [MASK] or kept
  for (let k = 0; k < num; k++) {
    let c = boundedDraw(u[2 * k], nCand);
    if (c < 0) c = rng.int(nCand);
    const pos = cand[c];
    positions[k] = pos;
    labels[pos] = ids[pos];
    if (u[2 * k + 1] < toMask) input[pos] = maskId;
  }
  return { input_ids: input, labels, masked_positions: positions };
}
