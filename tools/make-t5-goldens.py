#!/usr/bin/python3
"""PyTorch goldens for src/model/t5*.ts: T5ForConditionalGeneration re-implemented in plain PyTorch with HF's module
names (so state_dict keys match) and HF's math (modeling_t5.py: T5LayerNorm = RMSNorm without mean or bias,
_relative_position_bucket, compute_bias in block 0 of each stack shared by its blocks, position_bias + extended mask
(1 - m) * finfo(float32).min, no 1/sqrt(d) scaling, cross-attention over the encoder output with the encoder's
padding mask, T5DenseActDense (relu) / T5DenseGatedActDense (gelu_new), lm_head tied with the d_model**-0.5 scale
or untied, _shift_right), then the AdamW steps of tools/make-goldens.py.

Math runs in float64 from float32-rounded weights (the buckets in float32, as HF computes them); stored as
float32 / int32 / uint8. Writes test/fixtures/goldens/t5-*.{json,weights.safetensors,goldens.safetensors} and
t5-buckets.json (HF's bucket of every relative position in [-300, 300] for several settings).
Usage: /usr/bin/python3 tools/make-t5-goldens.py   (Debian's python3-torch; `npm test` never runs this)
"""
import importlib.util
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

_spec = importlib.util.spec_from_file_location('make_goldens', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'make-goldens.py'))
mg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mg)
OUT, MASK_MIN, IGNORE = mg.OUT, mg.MASK_MIN, mg.IGNORE


class T5LayerNorm(nn.Module):
    def __init__(self, hidden_size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, h):
        variance = h.pow(2).mean(-1, keepdim=True)
        return self.weight * (h * torch.rsqrt(variance + self.variance_epsilon))


class T5DenseActDense(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wi = nn.Linear(c['d_model'], c['d_ff'], bias=False)
        self.wo = nn.Linear(c['d_ff'], c['d_model'], bias=False)
        self.dropout = nn.Dropout(c['dropout_rate'])

    def forward(self, x):
        return self.wo(self.dropout(F.relu(self.wi(x))))


class T5DenseGatedActDense(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wi_0 = nn.Linear(c['d_model'], c['d_ff'], bias=False)
        self.wi_1 = nn.Linear(c['d_model'], c['d_ff'], bias=False)
        self.wo = nn.Linear(c['d_ff'], c['d_model'], bias=False)
        self.dropout = nn.Dropout(c['dropout_rate'])

    def forward(self, x):
        return self.wo(self.dropout(mg.gelu_new(self.wi_0(x)) * self.wi_1(x)))


class T5LayerFF(nn.Module):
    def __init__(self, c):
        super().__init__()
        gated = c['feed_forward_proj'] == 'gated-gelu'
        self.DenseReluDense = T5DenseGatedActDense(c) if gated else T5DenseActDense(c)
        self.layer_norm = T5LayerNorm(c['d_model'], c['layer_norm_epsilon'])
        self.dropout = nn.Dropout(c['dropout_rate'])

    def forward(self, h):
        return h + self.dropout(self.DenseReluDense(self.layer_norm(h)))


def relative_position_bucket(relative_position, bidirectional=True, num_buckets=32, max_distance=128):
    """HF T5Attention._relative_position_bucket, verbatim in its arithmetic (float32 log)."""
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    if_large = max_exact + (torch.log(relative_position.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)).to(torch.long)
    if_large = torch.min(if_large, torch.full_like(if_large, num_buckets - 1))
    return relative_buckets + torch.where(is_small, relative_position, if_large)


class T5Attention(nn.Module):
    def __init__(self, c, has_relative_attention_bias, is_decoder):
        super().__init__()
        self.is_decoder = is_decoder
        self.has_relative_attention_bias = has_relative_attention_bias
        self.num_buckets = c['relative_attention_num_buckets']
        self.max_distance = c['relative_attention_max_distance']
        self.h, self.d = c['num_heads'], c['d_kv']
        inner = self.h * self.d
        self.q = nn.Linear(c['d_model'], inner, bias=False)
        self.k = nn.Linear(c['d_model'], inner, bias=False)
        self.v = nn.Linear(c['d_model'], inner, bias=False)
        self.o = nn.Linear(inner, c['d_model'], bias=False)
        self.dropout = nn.Dropout(c['dropout_rate'])
        if has_relative_attention_bias:
            self.relative_attention_bias = nn.Embedding(self.num_buckets, self.h)

    def compute_bias(self, q_len, k_len):
        context = torch.arange(q_len, dtype=torch.long)[:, None]
        memory = torch.arange(k_len, dtype=torch.long)[None, :]
        buckets = relative_position_bucket(memory - context, not self.is_decoder, self.num_buckets, self.max_distance)
        return self.relative_attention_bias(buckets).permute([2, 0, 1]).unsqueeze(0)  # [1, H, q, k]

    def forward(self, x, mask, kv=None, position_bias=None):
        B, Tq, _ = x.shape
        src = x if kv is None else kv
        Tk = src.shape[1]
        split = lambda t, T: t.view(B, T, self.h, self.d).transpose(1, 2)
        q, k, v = split(self.q(x), Tq), split(self.k(src), Tk), split(self.v(src), Tk)
        scores = q @ k.transpose(3, 2)
        if position_bias is None:
            if self.has_relative_attention_bias:
                position_bias = self.compute_bias(Tq, Tk).to(scores.dtype)
            else:
                position_bias = torch.zeros((1, self.h, Tq, Tk), dtype=scores.dtype)
            if mask is not None:
                position_bias = position_bias + mask
        p = self.dropout(F.softmax(scores + position_bias, dim=-1))
        out = (p @ v).transpose(1, 2).contiguous().view(B, Tq, self.h * self.d)
        return self.o(out), position_bias


class T5LayerSelfAttention(nn.Module):
    def __init__(self, c, has_relative_attention_bias, is_decoder):
        super().__init__()
        self.SelfAttention = T5Attention(c, has_relative_attention_bias, is_decoder)
        self.layer_norm = T5LayerNorm(c['d_model'], c['layer_norm_epsilon'])
        self.dropout = nn.Dropout(c['dropout_rate'])

    def forward(self, h, mask, position_bias):
        y, position_bias = self.SelfAttention(self.layer_norm(h), mask, position_bias=position_bias)
        return h + self.dropout(y), position_bias


class T5LayerCrossAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.EncDecAttention = T5Attention(c, False, True)
        self.layer_norm = T5LayerNorm(c['d_model'], c['layer_norm_epsilon'])
        self.dropout = nn.Dropout(c['dropout_rate'])

    def forward(self, h, enc, mask, position_bias):
        y, position_bias = self.EncDecAttention(self.layer_norm(h), mask, kv=enc, position_bias=position_bias)
        return h + self.dropout(y), position_bias


class T5Block(nn.Module):
    def __init__(self, c, has_relative_attention_bias, is_decoder):
        super().__init__()
        self.layer = nn.ModuleList([T5LayerSelfAttention(c, has_relative_attention_bias, is_decoder)])
        if is_decoder:
            self.layer.append(T5LayerCrossAttention(c))
        self.layer.append(T5LayerFF(c))


class T5Stack(nn.Module):
    def __init__(self, c, embed_tokens, is_decoder):
        super().__init__()
        self.embed_tokens = embed_tokens
        self.is_decoder = is_decoder
        n = c['num_decoder_layers'] if is_decoder else c['num_layers']
        self.block = nn.ModuleList([T5Block(c, i == 0, is_decoder) for i in range(n)])
        self.final_layer_norm = T5LayerNorm(c['d_model'], c['layer_norm_epsilon'])
        self.dropout = nn.Dropout(c['dropout_rate'])

    def forward(self, ids, attention_mask, enc=None, enc_mask=None):
        B, T = ids.shape
        dt = self.embed_tokens.weight.dtype  # masks in the model's dtype, as HF
        m = attention_mask.to(dt)[:, None, None, :]  # get_extended_attention_mask
        if self.is_decoder:
            m = torch.tril(torch.ones(T, T, dtype=dt))[None, None] * m
        ext = (1.0 - m) * MASK_MIN
        enc_ext = None if enc is None else (1.0 - enc_mask.to(dt)[:, None, None, :]) * MASK_MIN  # invert_attention_mask
        h = self.dropout(self.embed_tokens(ids))
        bias, cross_bias = None, None
        for block in self.block:
            h, bias = block.layer[0](h, ext, bias)
            if self.is_decoder:
                h, cross_bias = block.layer[1](h, enc, enc_ext, cross_bias)
            h = block.layer[-1](h)
        return self.dropout(self.final_layer_norm(h))


class T5ForConditionalGeneration(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.shared = nn.Embedding(c['vocab_size'], c['d_model'])
        self.encoder = T5Stack(c, self.shared, False)
        self.decoder = T5Stack(c, self.shared, True)
        self.lm_head = nn.Linear(c['d_model'], c['vocab_size'], bias=False)
        if c['tie_word_embeddings']:
            self.lm_head.weight = self.shared.weight

    def _shift_right(self, labels):
        shifted = labels.new_zeros(labels.shape)
        shifted[..., 1:] = labels[..., :-1].clone()
        shifted[..., 0] = self.c['decoder_start_token_id']
        return shifted.masked_fill(shifted == IGNORE, self.c['pad_token_id'])

    def forward(self, b):
        ids, labels = b['input_ids'].long(), b['labels'].long()
        dec_ids = b['decoder_input_ids'].long() if 'decoder_input_ids' in b else self._shift_right(labels)
        dec_mask = b.get('decoder_attention_mask', torch.ones(dec_ids.shape, dtype=torch.uint8))
        enc = self.encoder(ids, b['attention_mask'])
        h = self.decoder(dec_ids, dec_mask, enc, b['attention_mask'])
        if self.c['tie_word_embeddings']:
            h = h * (self.c['d_model'] ** -0.5)
        logits = self.lm_head(h)
        loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=IGNORE)
        return loss, logits


def init_t5(model, c, gen):
    """HF T5PreTrainedModel._init_weights (factor = initializer_factor), then layer norms perturbed around the
    factor so the goldens also test their gradients' paths."""
    f, C, D, H, Fd = c['initializer_factor'], c['d_model'], c['d_kv'], c['num_heads'], c['d_ff']
    stds = {'shared.weight': f, 'lm_head.weight': f, '.q.weight': f * (C * D) ** -0.5, '.k.weight': f * C ** -0.5,
            '.v.weight': f * C ** -0.5, '.o.weight': f * (H * D) ** -0.5, 'relative_attention_bias.weight': f * C ** -0.5,
            '.wi.weight': f * C ** -0.5, '.wi_0.weight': f * C ** -0.5, '.wi_1.weight': f * C ** -0.5, '.wo.weight': f * Fd ** -0.5}
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('layer_norm.weight'):
                p.copy_(f + 0.1 * torch.randn(p.shape, generator=gen))
                continue
            std = next(s for k, s in stds.items() if name.endswith(k))
            p.copy_(std * torch.randn(p.shape, generator=gen))


def t5_decays(name):
    """HF Trainer: no decay for biases and layer norms (T5LayerNorm is in ALL_LAYERNORM_LAYERS)."""
    return not name.endswith('layer_norm.weight')


B, TE, TD = 3, 12, 7

T5 = {
    'architectures': ['T5ForConditionalGeneration'], 'model_type': 't5', 'vocab_size': 97, 'd_model': 32, 'd_kv': 8,
    'd_ff': 64, 'num_layers': 2, 'num_decoder_layers': 2, 'num_heads': 4, 'relative_attention_num_buckets': 32,
    'relative_attention_max_distance': 128, 'dropout_rate': 0.0, 'layer_norm_epsilon': 1e-6, 'initializer_factor': 1.0,
    'feed_forward_proj': 'relu', 'tie_word_embeddings': True, 'is_encoder_decoder': True, 'pad_token_id': 0,
    'eos_token_id': 1, 'decoder_start_token_id': 0,
}
# T5 v1.1 style: gated GELU, untied head; narrower attention (4 x 6 != d_model), fewer decoder blocks, and few
# buckets with a short max_distance so T = 12 reaches the log-spaced and the saturated buckets.
T5_GATED = dict(T5, d_kv=6, num_decoder_layers=1, feed_forward_proj='gated-gelu', tie_word_embeddings=False,
                relative_attention_num_buckets=8, relative_attention_max_distance=10, initializer_factor=1.5)


def t5_batch(gen, explicit_decoder):
    """Encoder rows right-padded (row 2 after 8, row 1 after 10); labels end with eos (1) and -100 past each row's end."""
    x = torch.randint(2, 97, (B, TE), generator=gen, dtype=torch.int32)
    mask = torch.ones(B, TE, dtype=torch.uint8)
    mask[2, 8:] = 0
    mask[1, 10:] = 0
    x[mask == 0] = 0
    labels = torch.randint(2, 97, (B, TD), generator=gen, dtype=torch.int32)
    for b, end in [(0, 6), (1, 4), (2, 2)]:
        labels[b, end] = 1
        labels[b, end + 1:] = IGNORE
    batch = {'input_ids': x, 'attention_mask': mask, 'labels': labels}
    if explicit_decoder:
        dec = torch.randint(2, 97, (B, TD), generator=gen, dtype=torch.int32)
        dec[:, 0] = 0
        dm = torch.ones(B, TD, dtype=torch.uint8)
        dm[2, 5:] = 0
        batch['decoder_input_ids'] = dec
        batch['decoder_attention_mask'] = dm
    return batch


def buckets_table():
    rel = torch.arange(-300, 301, dtype=torch.long)
    out = {'relative': rel.tolist(), 'cases': []}
    for bidirectional in (True, False):
        for nb, md in ((32, 128), (8, 10), (6, 6), (64, 256), (33, 100)):
            out['cases'].append({'bidirectional': bidirectional, 'num_buckets': nb, 'max_distance': md,
                                 'buckets': relative_position_bucket(rel, bidirectional, nb, md).tolist()})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    cases = [('t5-relu-tied', T5, 11, False, True), ('t5-gated-untied', T5_GATED, 12, True, True),
             ('t5-gated-tied', dict(T5_GATED, tie_word_embeddings=True), 13, False, False),
             ('t5-relu-untied', dict(T5, tie_word_embeddings=False), 14, True, False)]
    for name, config, seed, explicit, steps in cases:
        gen = torch.Generator().manual_seed(seed)
        model = T5ForConditionalGeneration(config)
        init_t5(model, config, gen)
        model = model.double()
        names = [n for n, _ in model.named_parameters()]  # tied copies are not listed twice
        mg.run_case(name, model, config, t5_batch(gen, explicit), steps=steps, names=names, decays=t5_decays)
    with open(os.path.join(OUT, 't5-buckets.json'), 'w') as f:
        json.dump(buckets_table(), f, separators=(',', ':'))


if __name__ == '__main__':
    main()
