// What the page can do with a loaded model, from its config (model_type and architectures, as HF's pipelines pick a
// task): fill-mask (BERT MLM), generate (GPT-2), span filling (T5), replaced-token scores (ELECTRA discriminator),
// sentence similarity (SimCSE, saved as a BertModel). Each kind runs src/eval code in the worker (worker-models.ts).
import type { ModelConfig } from '../src/model/index.js';

export type ModelKind = 'fill-mask' | 'generate' | 'span-fill' | 'replaced' | 'similarity';

export function kindOf(config: ModelConfig): ModelKind | undefined {
  const arch = config.architectures[0];
  if (config.model_type === 'gpt2') return 'generate';
  if (config.model_type === 't5') return 'span-fill';
  if (config.model_type === 'electra') return arch === 'ElectraForPreTraining' ? 'replaced' : undefined;
  return arch === 'BertModel' ? 'similarity' : 'fill-mask';
}
