// The roberta-prelayernorm family: pre-LN BERT (Cramming's, which tolerates higher learning rates) as HF
// RobertaPreLayerNormForMaskedLM, for the 'mlm' head. Its positions start after the padding row, so
// max_position_embeddings is the run's positions + pad_token_id + 1. Validation as the bert family's: the MLM loss
// and masked-token accuracy.
import { PretextError } from '../errors.js';
import { BertModel } from './bert.js';
import { bertEncoderFields, bertFamily } from './bert-family.js';
import { robertaPreLayerNormConfig, type BertConfig } from './config.js';
import type { FamilySpec, ModelFamily } from './family.js';

const ARCHITECTURE = { mlm: 'RobertaPreLayerNormForMaskedLM' } as const;

function config({ dims: d, specials, head }: FamilySpec): BertConfig {
  const architecture = ARCHITECTURE[head as keyof typeof ARCHITECTURE];
  if (!architecture)
    throw new PretextError(
      `the roberta-prelayernorm family trains the heads ${Object.keys(ARCHITECTURE).join(', ')}, not '${head}'`,
    );
  return robertaPreLayerNormConfig({
    architectures: [architecture],
    ...bertEncoderFields(d, specials.padId),
    position_embedding_type: d.positionEmbedding,
    max_position_embeddings: d.maxPositions + specials.padId + 1,
    bos_token_id: specials.bosId ?? null, // a WordPiece vocabulary has none (null, not HF's defaults 0 and 2)
    eos_token_id: specials.eosId ?? null,
  });
}

export const robertaPreLayerNormFamily: ModelFamily = {
  name: 'roberta-prelayernorm',
  heads: Object.keys(ARCHITECTURE),
  losses: ['mlm'],
  config,
  create: (c, engine, seed) => new BertModel(c as BertConfig, engine, { seed }),
  evalOptions: bertFamily.evalOptions,
  metrics: bertFamily.metrics,
  lossCounts: bertFamily.lossCounts,
  positionEmbeddings: bertFamily.positionEmbeddings,
};
