#!/usr/bin/python3
"""PyTorch goldens for src/model's relative_key positions: HF BertSelfAttention with
position_embedding_type="relative_key" (modeling_bert.py; Huang et al. 2020) re-implemented in plain PyTorch over the
BERT of tools/make-goldens.py and the pre-LN BERT of tools/make-goldens-preln.py, with HF's module names:
  distance = arange(T)[:, None] - arange(T)[None, :]          (sequence indices, not position ids)
  E = distance_embedding(distance + max_position_embeddings - 1)   per layer, [2P - 1, head size]
  scores = (q k^T + einsum('bhld,lrd->bhlr', q, E)) / sqrt(head size) + mask
and the embeddings without position_embeddings (HF adds them only for "absolute"; the table stays, unused: no gradient,
so torch's AdamW leaves it as it is).
The distance embeddings start at std 0.5 (not initializer_range) so their scores move the softmax visibly.

Math runs in float64 from float32-rounded weights; everything is stored as float32 / int32 / uint8.
Writes test/fixtures/goldens/{bert-relkey-mlm,bert-relkey-pretraining,preln-relkey-mlm}.*
Usage: /usr/bin/python3 tools/make-goldens-relkey.py   (Debian's python3-torch; `npm test` never runs this)
"""
import importlib.util
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(os.path.dirname(os.path.abspath(__file__)), file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


G = load('bert_goldens', 'make-goldens.py')
PL = load('preln_goldens', 'make-goldens-preln.py')


class RelativeKeySelfAttention(G.BertSelfAttention):
    def __init__(self, c):
        super().__init__(c)
        self.max_positions = c['max_position_embeddings']
        self.distance_embedding = nn.Embedding(2 * self.max_positions - 1, self.d)

    def forward(self, x, ext_mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        T = x.shape[1]
        distance = torch.arange(T).view(-1, 1) - torch.arange(T).view(1, -1)
        E = self.distance_embedding(distance + self.max_positions - 1).to(dtype=q.dtype)
        scores = q @ k.transpose(-1, -2) + torch.einsum('bhld,lrd->bhlr', q, E)
        scores = scores / math.sqrt(self.d) + ext_mask
        probs = self.dropout(F.softmax(scores, dim=-1))
        ctx = (probs @ v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(x.shape)


class BertEmbeddingsRelative(G.BertEmbeddings):
    def forward(self, input_ids, token_type_ids, position_ids):
        e = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(e))


class PreLnEmbeddingsRelative(PL.RobertaPreLayerNormEmbeddings):
    def forward(self, input_ids, token_type_ids):
        e = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(e))


def relative(base, decoder, c, embeddings):
    """Swap in the relative_key attention and embeddings (same module names) before the weights are initialised,
    and tie the MLM decoder to the new word embeddings again."""
    base.embeddings = embeddings(c)
    decoder.weight = base.embeddings.word_embeddings.weight
    for layer in base.encoder.layer:
        layer.attention.self = RelativeKeySelfAttention(c)


def spread_distances(model, gen):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('distance_embedding.weight'):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen, dtype=p.dtype))


def bert(c, nsp, seed):
    """A relative_key BERT (BertForMaskedLM, or BertForPreTraining with nsp) initialised from `seed`, and its generator."""
    gen = torch.Generator().manual_seed(seed)
    model = G.Bert(c, nsp)
    relative(model.bert, model.cls.predictions.decoder, c, BertEmbeddingsRelative)
    G.init_hf(model, c, False, gen)
    spread_distances(model, gen)
    return model.double(), gen


def preln(c, seed):
    """A relative_key RobertaPreLayerNormForMaskedLM initialised from `seed`, and its generator."""
    gen = torch.Generator().manual_seed(seed)
    model = PL.RobertaPreLayerNormForMaskedLM(c)
    relative(model.roberta_prelayernorm, model.lm_head.decoder, c, PreLnEmbeddingsRelative)
    PL.init(model, c, gen)
    spread_distances(model, gen)
    return model.double(), gen


def main():
    os.makedirs(G.OUT, exist_ok=True)
    torch.manual_seed(0)

    # BertForMaskedLM, T = 12 of P = 16 positions (distance rows 4..26 of 31), row 2 right-padded; AdamW steps.
    c = dict(G.BERT, position_embedding_type='relative_key')
    model, gen = bert(c, False, 21)
    G.run_case('bert-relkey-mlm', model, c, G.bert_mlm(gen), steps=True)

    # BertForPreTraining with [B, T, T] masks (prefix-LM, two documents, causal) and NSP; position ids restart in
    # row 1, which relative_key ignores (it scores sequence offsets).
    c = dict(G.BERT, architectures=['BertForPreTraining'], position_embedding_type='relative_key')
    model, gen = bert(c, True, 22)
    G.run_case('bert-relkey-pretraining', model, c, G.bert_pretraining(gen), steps=False)

    # RobertaPreLayerNormForMaskedLM, pad_token_id 1, T = 12 of max_position_embeddings 14.
    c = PL.config(position_embedding_type='relative_key')
    model, gen = preln(c, 23)
    batch = PL.mlm_batch(gen, 3, 12, 1, [(0, 1), (0, 4), (0, 9), (1, 2), (1, 3), (1, 11), (2, 0), (2, 5)], 8)
    G.run_case('preln-relkey-mlm', model, c, batch, steps=False, names=PL.names(model), decays=PL.decays)


if __name__ == '__main__':
    main()
