#!/usr/bin/python3
"""PyTorch goldens for src/model's pre-LN BERT: HF's RobertaPreLayerNormForMaskedLM (modeling_roberta_prelayernorm.py)
re-implemented in plain PyTorch with HF's module names (so state_dict keys match) and HF's math: RoBERTa embeddings
(word + token type + position, LayerNorm, dropout; position ids from the input ids, padding_idx + 1 onwards, padded
tokens at padding_idx; padding_idx rows in the word and position embeddings), layers with attention.LayerNorm before
the self-attention and intermediate.LayerNorm before the FFN, plain residual sums after them, the base model's final
LayerNorm, and RobertaLMHead (dense, gelu, layer_norm, decoder tied to the word embeddings, lm_head.bias); then AdamW
(torch.optim.AdamW) + clip_grad_norm_ + HF's linear warm-up, as tools/make-goldens.py does for BERT.

Math runs in float64 from float32-rounded weights; everything is stored as float32 / int32 / uint8.
Writes test/fixtures/goldens/preln-*.{json,weights.safetensors,goldens.safetensors}.
Usage: /usr/bin/python3 tools/make-goldens-preln.py   (Debian's python3-torch; `npm test` never runs this)
"""
import importlib.util
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

_spec = importlib.util.spec_from_file_location('bert_goldens', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'make-goldens.py'))
G = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(G)
MASK_MIN, IGNORE = G.MASK_MIN, G.IGNORE
MASK_ID = 4


# ---------------------------------------------------------------- RoBERTa-PreLayerNorm (modeling_roberta_prelayernorm.py)

def position_ids_from_input_ids(input_ids, padding_idx):
    """create_position_ids_from_input_ids: padding_idx + 1, + 2, ... over real tokens; padding_idx at padded ones."""
    real = input_ids.ne(padding_idx).int()
    return (torch.cumsum(real, dim=1).type_as(real) * real).long() + padding_idx


class RobertaPreLayerNormEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.padding_idx = c['pad_token_id']
        self.word_embeddings = nn.Embedding(c['vocab_size'], c['hidden_size'], padding_idx=self.padding_idx)
        self.position_embeddings = nn.Embedding(c['max_position_embeddings'], c['hidden_size'], padding_idx=self.padding_idx)
        self.token_type_embeddings = nn.Embedding(c['type_vocab_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, input_ids, token_type_ids):
        position_ids = position_ids_from_input_ids(input_ids, self.padding_idx)
        e = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        e = e + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(e))


class RobertaPreLayerNormSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, h, x):
        return self.dropout(self.dense(h)) + x  # no LayerNorm after the residual sum


class RobertaPreLayerNormAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = G.BertSelfAttention(c)  # query / key / value, scaled dot product, additive mask, dropout on probs
        self.output = RobertaPreLayerNormSelfOutput(c)
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])

    def forward(self, x, ext_mask):
        return self.output(self.self(self.LayerNorm(x), ext_mask), x)


class RobertaPreLayerNormIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.dense = nn.Linear(c['hidden_size'], c['intermediate_size'])

    def forward(self, x):
        return F.gelu(self.dense(self.LayerNorm(x)))  # "gelu" = erf form


class RobertaPreLayerNormOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['intermediate_size'], c['hidden_size'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, h, x):
        return self.dropout(self.dense(h)) + x


class RobertaPreLayerNormLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = RobertaPreLayerNormAttention(c)
        self.intermediate = RobertaPreLayerNormIntermediate(c)
        self.output = RobertaPreLayerNormOutput(c)

    def forward(self, x, ext_mask):
        a = self.attention(x, ext_mask)
        return self.output(self.intermediate(a), a)


class RobertaPreLayerNormEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([RobertaPreLayerNormLayer(c) for _ in range(c['num_hidden_layers'])])

    def forward(self, x, ext_mask):
        for layer in self.layer:
            x = layer(x, ext_mask)
        return x


class RobertaPreLayerNormModel(nn.Module):
    """add_pooling_layer=False, as RobertaPreLayerNormForMaskedLM builds it."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = RobertaPreLayerNormEmbeddings(c)
        self.encoder = RobertaPreLayerNormEncoder(c)
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])

    def forward(self, input_ids, attention_mask, token_type_ids):
        ext = (1.0 - attention_mask.to(torch.float64)[:, None, None, :]) * MASK_MIN  # get_extended_attention_mask
        h = self.encoder(self.embeddings(input_ids, token_type_ids), ext)
        return self.LayerNorm(h)  # after the encoder, before any head


class RobertaPreLayerNormLMHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.layer_norm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.decoder = nn.Linear(c['hidden_size'], c['vocab_size'])
        self.bias = nn.Parameter(torch.zeros(c['vocab_size']))
        self.decoder.bias = self.bias

    def forward(self, x):
        return self.decoder(self.layer_norm(F.gelu(self.dense(x))))


class RobertaPreLayerNormForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.roberta_prelayernorm = RobertaPreLayerNormModel(c)
        self.lm_head = RobertaPreLayerNormLMHead(c)
        self.lm_head.decoder.weight = self.roberta_prelayernorm.embeddings.word_embeddings.weight  # tie_weights

    def forward(self, b):
        h = self.roberta_prelayernorm(b['input_ids'].long(), b['attention_mask'], b['token_type_ids'].long())
        logits = self.lm_head(h)  # dense over every position, as HF
        V = logits.shape[-1]
        loss = F.cross_entropy(logits.view(-1, V), b['labels'].view(-1).long(), ignore_index=IGNORE)
        return loss, logits


# ---------------------------------------------------------------- init, names, cases

def is_norm_or_bias(name):
    return name.endswith('bias') or 'LayerNorm' in name or 'layer_norm' in name


def init(model, c, gen):
    """HF _init_weights (normal initializer_range, padding_idx rows 0), with biases and LayerNorm parameters
    perturbed so the goldens also test those paths (as tools/make-goldens.py)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if is_norm_or_bias(name):
                base = 1.0 if name.endswith('weight') else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(c['initializer_range'] * torch.randn(p.shape, generator=gen))
        emb = model.roberta_prelayernorm.embeddings
        emb.word_embeddings.weight[c['pad_token_id']].zero_()
        emb.position_embeddings.weight[c['pad_token_id']].zero_()


def decays(name):
    """HF Trainer.get_decay_parameter_names: no decay for biases and any LayerNorm's weights (lm_head.layer_norm too)."""
    return not is_norm_or_bias(name)


def names(model):
    """state_dict names as save_pretrained writes them (_keys_to_ignore_on_save: lm_head.decoder.weight / .bias)."""
    tied = {'lm_head.decoder.weight', 'lm_head.decoder.bias'}
    return [n for n, _ in model.named_parameters() if n not in tied]


def config(**over):
    c = {
        'architectures': ['RobertaPreLayerNormForMaskedLM'], 'model_type': 'roberta-prelayernorm', 'vocab_size': 97,
        'hidden_size': 32, 'num_hidden_layers': 2, 'num_attention_heads': 4, 'intermediate_size': 64,
        'hidden_act': 'gelu', 'hidden_dropout_prob': 0.0, 'attention_probs_dropout_prob': 0.0,
        'max_position_embeddings': 12 + 1 + 1, 'type_vocab_size': 2, 'initializer_range': 0.02,
        'layer_norm_eps': 1e-12, 'pad_token_id': 1, 'bos_token_id': 0, 'eos_token_id': 2,
        'position_embedding_type': 'absolute',
    }
    c.update(over)
    return c


def mlm_batch(gen, B, T, pad, labelled, pad_from):
    """ids from 5 up (MASK_ID 4), row 2 right-padded from pad_from with pad, two segments, `labelled` (b, t) masked."""
    x = torch.randint(5, 97, (B, T), generator=gen, dtype=torch.int32)
    mask = torch.ones(B, T, dtype=torch.uint8)
    mask[2, pad_from:] = 0
    x[2, pad_from:] = pad
    tt = torch.zeros(B, T, dtype=torch.int32)
    tt[0, T // 2:] = 1
    tt[1, T // 3:] = 1
    labels = torch.full((B, T), IGNORE, dtype=torch.int32)
    for b, t in labelled:
        labels[b, t] = x[b, t]
        x[b, t] = MASK_ID
    labels[1, labelled[4][1]] = 7  # a label other than the original token, as MLM's 10% random replacement
    return {'input_ids': x, 'attention_mask': mask, 'token_type_ids': tt, 'labels': labels}


def main():
    os.makedirs(G.OUT, exist_ok=True)
    torch.manual_seed(0)

    # T = 12, pad_token_id 1: positions read rows 2..13 of 14; two layers, AdamW steps.
    c = config()
    gen = torch.Generator().manual_seed(11)
    model = RobertaPreLayerNormForMaskedLM(c)
    init(model, c, gen)
    model = model.double()
    batch = mlm_batch(gen, 3, 12, 1, [(0, 1), (0, 4), (0, 9), (1, 2), (1, 3), (1, 11), (2, 0), (2, 5)], 8)
    G.run_case('preln-mlm', model, c, batch, steps=True, names=names(model), decays=decays)

    # pad_token_id 0, three layers, other widths; labels at each row's first and last real position.
    c = config(pad_token_id=0, num_hidden_layers=3, num_attention_heads=2, hidden_size=24, intermediate_size=40,
               max_position_embeddings=10 + 1 + 3)  # 3 rows to spare: a model may have more positions than rows
    gen = torch.Generator().manual_seed(12)
    model = RobertaPreLayerNormForMaskedLM(c)
    init(model, c, gen)
    model = model.double()
    batch = mlm_batch(gen, 3, 10, 0, [(0, 0), (0, 9), (1, 0), (1, 6), (1, 9), (2, 0), (2, 6)], 7)
    G.run_case('preln-mlm-3layer', model, c, batch, steps=False, names=names(model), decays=decays)


if __name__ == '__main__':
    main()
