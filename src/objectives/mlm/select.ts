// Which tokens an MLM row selects as targets. Units are eligible tokens, or whole words with word ids; specials
// (by id, or word id -1) are never eligible. Count rules measure the row in units with each special as one unit
// (fairseq counts specials as word starts; Cramming and BERT count the whole row), capped by the eligible units.
import { ensure } from '../../errors.js';
import type { Rng } from '../../rng/rng.js';
import { roundHalfEven } from '../round.js';
import type { MlmOptions } from './options.js';
import { scratchI32, scratchU8 } from './scratch.js';

const TWO_POW_32 = 4294967296;

/** A row's eligible units. unitOf[i] = unit of token i or -1; size[u] = tokens in unit u. */
export interface Units {
  n: number;
  /** row length in units: eligible units + ineligible tokens */
  lengthInUnits: number;
  unitOf: Int32Array;
  size: Int32Array;
}

/** Units of a row: one per eligible token, or one per run of equal adjacent word ids when `wordIds` is given. */
export function buildUnits(ids: Int32Array, special: Uint8Array, wordIds?: Int32Array): Units {
  const L = ids.length;
  const unitOf = scratchI32(0, L);
  const size = scratchI32(1, L);
  let n = 0;
  let ineligible = 0;
  if (!wordIds) {
    for (let i = 0; i < L; i++) {
      if (special[ids[i]]) {
        unitOf[i] = -1;
        ineligible++;
      } else {
        size[n] = 1;
        unitOf[i] = n++;
      }
    }
    return { n, lengthInUnits: n + ineligible, unitOf, size };
  }
  // A unit is a run of equal word ids at adjacent eligible positions: HF's word_ids() restart at 0 for segment B,
  // so grouping by value would join word k of A and word k of B.
  let prev = -1;
  for (let i = 0; i < L; i++) {
    const w = wordIds[i];
    if (special[ids[i]] || w < 0) {
      unitOf[i] = -1;
      ineligible++;
      prev = -1;
      continue;
    }
    if (prev < 0 || w !== wordIds[i - 1]) {
      size[n] = 0;
      n++;
    }
    prev = w;
    unitOf[i] = n - 1;
    size[n - 1]++;
  }
  return { n, lengthInUnits: n + ineligible, unitOf, size };
}

/** [n] 1 where unit u is selected, by `opts.selection`. `rowLength` is the row's token count (bert-static). */
export function selectUnits(units: Units, opts: MlmOptions, rowLength: number, rng: Rng): Uint8Array {
  const { n } = units;
  const sel = scratchU8(1, n);
  const p = opts.maskProb;
  switch (opts.selection) {
    case 'bernoulli': {
      const t = p * TWO_POW_32;
      for (let u = 0; u < n; u++) if (rng.nextU32() < t) sel[u] = 1;
      return sel;
    }
    case 'fixed-count': // Cramming: exactly round(p * L) (L in units), capped by the eligible units
      return chooseK(sel, n, Math.min(n, roundHalfEven(p * units.lengthInUnits)), rng);
    case 'fairseq': // probabilistic rounding: E[k] = p * L exactly (fairseq MaskTokensDataset)
      return chooseK(sel, n, Math.min(n, Math.floor(p * units.lengthInUnits + rng.double())), rng);
    case 'bert-static': // create_pretraining_data: min(maxPredictions, max(1, round(len * p))) tokens, len incl. specials
      return bertStatic(sel, units, Math.min(opts.maxPredictions, Math.max(1, roundHalfEven(rowLength * p))), rng);
  }
  ensure(false, `mlm: unknown selection '${opts.selection as string}'`);
}

// k distinct units uniformly (partial Fisher-Yates).
function chooseK(sel: Uint8Array, n: number, k: number, rng: Rng): Uint8Array {
  const perm = scratchI32(2, n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = perm[j];
    perm[j] = perm[i];
    perm[i] = t;
    sel[t] = 1;
  }
  return sel;
}

// Shuffle the units, walk them, skip a unit that would overshoot `num` tokens (so whole words can end below it).
function bertStatic(sel: Uint8Array, units: Units, num: number, rng: Rng): Uint8Array {
  const { n, size } = units;
  const perm = scratchI32(2, n);
  for (let i = 0; i < n; i++) perm[i] = i;
  rng.shuffle(perm.subarray(0, n));
  let covered = 0;
  for (let i = 0; i < n && covered < num; i++) {
    const u = perm[i];
    if (covered + size[u] > num) continue;
    sel[u] = 1;
    covered += size[u];
  }
  return sel;
}
