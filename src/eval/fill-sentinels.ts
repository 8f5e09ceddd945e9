// Sentinel filling with a span-corruption model (T5): the corrupted text's ids go to the encoder, the decoder
// writes greedily (key / value cache), and its output "<s0> span <s1> span ... eos" is split at the sentinels
// back onto the input's sentinels.
import { ensure } from '../errors.js';
import { T5Generator, type T5Model } from '../model/index.js';

export interface SentinelFill {
  /** the decoder's greedy output, eos included when it was written */
  output: Int32Array;
  /** one entry per sentinel of the input, in order: the ids the decoder wrote after that sentinel */
  spans: { sentinel: number; ids: number[] }[];
}

/** Example: ids of "The cat <extra_id_0> the mat. </s>" -> spans [{ sentinel: <extra_id_0>, ids: ids of "sat on" }]. */
export function fillSentinels(
  model: T5Model,
  inputIds: Int32Array,
  isSentinel: (id: number) => boolean,
  maxNewTokens = 64,
): SentinelFill {
  const sentinels = Array.from(inputIds).filter(isSentinel);
  ensure(sentinels.length > 0, 'the text has no sentinel to fill');
  const [output] = new T5Generator(model).greedy(
    { batchSize: 1, length: inputIds.length, input_ids: inputIds },
    { maxNewTokens },
  );
  const eos = model.config.eos_token_id;
  const spans = sentinels.map((sentinel) => ({ sentinel, ids: [] as number[] }));
  let current: (typeof spans)[number] | undefined;
  for (const id of output) {
    if (id === eos) break;
    if (isSentinel(id)) current = spans.find((s) => s.sentinel === id);
    else current?.ids.push(id);
  }
  return { output, spans };
}
