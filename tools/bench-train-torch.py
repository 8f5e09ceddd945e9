#!/usr/bin/python3
"""npm run bench:train's PyTorch side: the same training step as pretext's bench (bench/arch-steps.ts) on the same
HF config and batch, in PyTorch, fp32, dropout 0: zero grads, forward, backward, clip_grad_norm_(1), AdamW.

The models are the HF re-implementations of the golden scripts (tools/make-goldens.py: BertForMaskedLM /
BertForPreTraining / GPT2LMHeadModel; make-t5-goldens.py: T5ForConditionalGeneration; make-goldens-electra-simcse.py:
ELECTRA), whose modules build their masks in float64 for the goldens; here the masks are built in float32, as HF
does for an fp32 model. As pretext's step, BERT's MLM head and ELECTRA's generator head run on the masked rows only
(sparse prediction); GPT-2 and T5 run their LM heads on every position.

Reads {cases: [{preset, arch, config, generator, batch: {name: {shape, data}}, tokens}], threads, warmup, timed}
as JSON on stdin; prints [{preset, arch, parameters, step_ms, tokens_per_s}] as JSON. The caller sets
OPENBLAS_CORETYPE and the thread variables (one process per thread count).
Usage: bench/train-step.ts runs it; by hand: node dist/bench/train-step.js --json shows what it was given.
"""
import importlib.util
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


G = load('make_goldens', 'make-goldens.py')
T5 = load('make_t5_goldens', 'make-t5-goldens.py')
E = load('make_goldens_electra_simcse', 'make-goldens-electra-simcse.py')
MASK_MIN, IGNORE = G.MASK_MIN, G.IGNORE


def additive(allowed):
    """1 = attend, 0 = blocked -> 0 / finfo(float32).min, in float32 (HF get_extended_attention_mask)."""
    return (1.0 - allowed.float()) * MASK_MIN


def positions(ids):
    return torch.arange(ids.shape[1]).expand(ids.shape)


def bert_hidden(bert, b):
    ids = b['input_ids']
    types = b.get('token_type_ids', torch.zeros_like(ids))
    h = bert.encoder(bert.embeddings(ids, types, positions(ids)), additive(b['attention_mask'])[:, None, None, :])
    return h, (bert.pooler(h) if bert.pooler is not None else None)


def bert_loss(model, b):
    h, pooled = bert_hidden(model.bert, b)
    labels = b['labels'].view(-1)
    rows = (labels != IGNORE).nonzero(as_tuple=True)[0]
    logits = model.cls.predictions(h.reshape(-1, h.shape[-1])[rows])  # sparse prediction: masked rows only
    loss = F.cross_entropy(logits, labels[rows])
    if model.nsp:
        loss = loss + F.cross_entropy(model.cls.seq_relationship(pooled), b['next_sentence_label'])
    return loss


def gpt2_loss(model, b):
    t = model.transformer
    ids = b['input_ids']
    B, T = ids.shape
    allowed = torch.tril(torch.ones(T, T)).expand(B, T, T) * b['attention_mask'].float()[:, None, :]
    x = t.wte(ids) + t.wpe(positions(ids))
    for block in t.h:
        x = block(x, allowed)
    logits = model.lm_head(t.ln_f(x))
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), b['labels'][:, 1:].reshape(-1), ignore_index=IGNORE)


def t5_stack(stack, ids, mask, enc=None, enc_mask=None):
    T = ids.shape[1]
    allowed = mask.float()[:, None, None, :]
    if stack.is_decoder:
        allowed = torch.tril(torch.ones(T, T))[None, None] * allowed
    ext = additive(allowed)
    enc_ext = None if enc is None else additive(enc_mask)[:, None, None, :]
    h = stack.embed_tokens(ids)
    bias = cross_bias = None
    for block in stack.block:
        h, bias = block.layer[0](h, ext, bias)
        if stack.is_decoder:
            h, cross_bias = block.layer[1](h, enc, enc_ext, cross_bias)
        h = block.layer[-1](h)
    return stack.final_layer_norm(h)


def t5_loss(model, b):
    labels = b['labels']
    dec_ids = b['decoder_input_ids'] if 'decoder_input_ids' in b else model._shift_right(labels)
    enc = t5_stack(model.encoder, b['input_ids'], b['attention_mask'])
    h = t5_stack(model.decoder, dec_ids, b.get('decoder_attention_mask', torch.ones_like(dec_ids)), enc, b['attention_mask'])
    if model.c['tie_word_embeddings']:
        h = h * (model.c['d_model'] ** -0.5)
    logits = model.lm_head(h)
    return F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=IGNORE)


def electra_hidden(electra, ids, mask):
    h = electra.embeddings(ids, torch.zeros_like(ids), positions(ids))
    if hasattr(electra, 'embeddings_project'):
        h = electra.embeddings_project(h)
    return electra.encoder(h, additive(mask)[:, None, None, :])


def electra_loss(model, b):
    ids, labels, mask, drawn = b['input_ids'], b['labels'], b['attention_mask'], b['masked_positions']
    bi, ki = (drawn >= 0).nonzero(as_tuple=True)
    ti = drawn[bi, ki]
    gen, disc = model.generator, model.discriminator
    logits = gen.head(electra_hidden(gen.electra, ids, mask)[bi, ti])  # one row per draw
    gen_loss = F.cross_entropy(logits, labels[bi, ti])
    with torch.no_grad():
        sampled = torch.multinomial(F.softmax(logits, -1), 1).squeeze(-1)
        originals = torch.where(labels >= 0, labels, ids).view(-1)
        corrupted = originals.clone()
        corrupted[bi * ids.shape[1] + ti] = sampled
        replaced = (corrupted != originals).float()
    dlogits = disc.discriminator_predictions(electra_hidden(disc.electra, corrupted.view(ids.shape), mask))
    active = mask.view(-1) == 1
    return gen_loss + 50.0 * F.binary_cross_entropy_with_logits(dlogits.view(-1)[active], replaced[active])


def build(case):
    c, arch = case['config'], case['arch']
    if arch in ('bert-mlm', 'bert-pair'):
        return G.Bert(c, nsp=arch == 'bert-pair'), bert_loss
    if arch == 'gpt2':
        return G.GPT2LMHeadModel(c), gpt2_loss
    if arch == 't5':
        return T5.T5ForConditionalGeneration(c), t5_loss
    if arch == 'electra':
        return E.ElectraPair(c, case['generator']), electra_loss
    raise ValueError(f'unknown architecture {arch}')


def tensors(batch):
    out = {}
    for name, v in batch.items():
        dtype = torch.uint8 if name.endswith('attention_mask') else torch.long
        out[name] = torch.tensor(v['data'], dtype=dtype).view(v['shape'])
    return out


def measure(case, warmup, timed):
    torch.manual_seed(0)
    model, loss_of = build(case)
    model.float().train()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.02)
    b = tensors(case['batch'])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_of(model, b)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(warmup):
        step()
    ms = []
    for _ in range(timed):
        t0 = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t0) * 1000)
    median = sorted(ms)[len(ms) // 2]
    return {'preset': case['preset'], 'arch': case['arch'], 'parameters': sum(p.numel() for p in model.parameters()),
            'step_ms': round(median, 1), 'tokens_per_s': round(case['tokens'] * 1000 / median)}


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(job['threads'])
    print(json.dumps([measure(case, job['warmup'], job['timed']) for case in job['cases']]))


if __name__ == '__main__':
    main()
