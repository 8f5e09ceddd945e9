// Replaced-token detection targets (spec §6): the discriminator sees the originals with the generator's samples
// scattered at the masked positions; a position is "replaced" (1) only if it was masked AND the sample differs.
import { ensure } from '../../errors.js';

/** How a position drawn more than once takes its samples: the last one, or (ELECTRA's scatter_update) the floor of
 * their average, which is some other token id. */
export type DuplicateRule = 'last' | 'average';

/** [L] originals with sampledIds[k] written at maskedPositions[k]; a duplicated position follows `duplicates`. */
export function corruptedInput(
  originalIds: Int32Array,
  maskedPositions: Int32Array,
  sampledIds: Int32Array,
  duplicates: DuplicateRule = 'last',
): Int32Array {
  ensure(
    maskedPositions.length === sampledIds.length,
    `electra: ${maskedPositions.length} masked positions but ${sampledIds.length} sampled ids`,
  );
  const out = originalIds.slice();
  const times = duplicates === 'average' ? new Int32Array(out.length) : null;
  for (let k = 0; k < maskedPositions.length; k++) {
    const p = maskedPositions[k];
    ensure(p >= 0 && p < out.length, () => `electra: masked position ${p} is outside the row [0, ${out.length})`);
    if (!times) out[p] = sampledIds[k];
    else out[p] = times[p]++ === 0 ? sampledIds[k] : out[p] + sampledIds[k];
  }
  if (times) for (let p = 0; p < out.length; p++) if (times[p] > 1) out[p] = Math.floor(out[p] / times[p]);
  return out;
}

/** [L] 1 where the position was masked and the corrupted input differs from the original, else 0. */
export function discriminatorLabels(
  originalIds: Int32Array,
  maskedPositions: Int32Array,
  sampledIds: Int32Array,
  duplicates: DuplicateRule = 'last',
): Int32Array {
  const corrupted = corruptedInput(originalIds, maskedPositions, sampledIds, duplicates);
  const out = new Int32Array(originalIds.length);
  for (let k = 0; k < maskedPositions.length; k++) {
    const p = maskedPositions[k];
    out[p] = corrupted[p] !== originalIds[p] ? 1 : 0;
  }
  return out;
}
