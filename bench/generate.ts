// npm run bench:generate: tokens/s of `generate` on the tiny GPT-2 (hidden 128, 2 layers, 128 positions, vocab 8192,
// random weights, greedy, 120 new tokens after an 8-token prompt) with the KV cache and without it (each token
// reruns the padded window), wasm engine on 1 thread; prints the ratio measured in the same run. Best of 3 runs.
// `-- --json` prints a JSON object. Not a test: numbers depend on the machine and its load.
import { createWasmEngine } from '../src/engine/wasm/index.js';
import { generate } from '../src/eval/generate.js';
import { gpt2Config, Gpt2Model } from '../src/model/index.js';
import { trainByteLevelBpe } from '../src/tokenize/index.js';

const NEW_TOKENS = 120;
const engine = await createWasmEngine({ threads: 1 });
const model = new Gpt2Model(
  gpt2Config({
    vocab_size: 8192,
    n_positions: 128,
    n_embd: 128,
    n_layer: 2,
    n_head: 2,
    n_inner: 512,
    bos_token_id: 0,
    eos_token_id: 0,
  }),
  engine,
  { seed: 0 },
);
const tokenizer = trainByteLevelBpe(['the jury said that the city of atlanta had a primary election'], {
  vocabSize: 300,
});
const prompt = 'the jury said that the city';

function tokensPerSecond(kvCache: boolean): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const r = generate(model, tokenizer, prompt, {
      maxNewTokens: NEW_TOKENS,
      temperature: 0,
      topK: 0,
      seed: 0,
      stopAtEos: false,
      kvCache,
    });
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (r.output_ids.length !== NEW_TOKENS) throw new Error('generate stopped early');
  }
  return NEW_TOKENS / best;
}

const uncached = tokensPerSecond(false);
const cached = tokensPerSecond(true);
engine.dispose();
const result = {
  newTokens: NEW_TOKENS,
  uncachedTokensPerS: Math.round(uncached),
  cachedTokensPerS: Math.round(cached),
  ratio: Number((cached / uncached).toFixed(2)),
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else
  console.log(
    `generate, tiny GPT-2, ${NEW_TOKENS} new tokens: ${result.uncachedTokensPerS} tokens/s without the KV cache, ${result.cachedTokensPerS} with it: ${result.ratio}x`,
  );
