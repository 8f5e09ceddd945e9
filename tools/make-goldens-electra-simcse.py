#!/usr/bin/python3
"""PyTorch goldens for src/model's ELECTRA and SimCSE: HF's ElectraForPreTraining / ElectraForMaskedLM
(modeling_electra.py) re-implemented in plain PyTorch with HF's module names, ELECTRA's generator + discriminator
step (google-research/electra run_pretraining.py: draws with duplicates, Gumbel-max with a fixed noise tensor,
scatter_update's floor of the mean at a twice-drawn position, loss = MLM + 50 x BCE over real tokens), and SimCSE's
BertForCL cl_forward (princeton-nlp/SimCSE models.py: interleaved views, cls+MLP / avg poolers, cosine / tau,
hard negatives with hard_negative_weight). BERT's modules come from tools/make-goldens.py.

Math runs in float64 from float32-rounded weights; everything is stored as float32 / int32 / uint8.
Writes test/fixtures/goldens/{electra-*,simcse-*}.{json,*.safetensors}.
Usage: /usr/bin/python3 tools/make-goldens-electra-simcse.py   (Debian's python3-torch; `npm test` never runs this)
"""
import importlib.util
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

_spec = importlib.util.spec_from_file_location('bert_goldens', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'make-goldens.py'))
G = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(G)
OUT, MASK_MIN, IGNORE = G.OUT, G.MASK_MIN, G.IGNORE
B, T = 3, 12
MASK_ID, CLS_ID, SEP_ID, PAD_ID = 4, 2, 3, 0


# ---------------------------------------------------------------- ELECTRA (modeling_electra.py)

def ext_mask(attention_mask):
    return (1.0 - attention_mask.to(torch.float64)[:, None, None, :]) * MASK_MIN


class ElectraModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = G.BertEmbeddings(dict(c, hidden_size=c['embedding_size']))
        if c['embedding_size'] != c['hidden_size']:
            self.embeddings_project = nn.Linear(c['embedding_size'], c['hidden_size'])
        self.encoder = G.BertEncoder(c)

    def forward(self, ids, mask, types, positions):
        h = self.embeddings(ids, types, positions)
        if hasattr(self, 'embeddings_project'):
            h = self.embeddings_project(h)
        return self.encoder(h, ext_mask(mask))


class ElectraDiscriminatorPredictions(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.dense_prediction = nn.Linear(c['hidden_size'], 1)

    def forward(self, h):
        return self.dense_prediction(F.gelu(self.dense(h))).squeeze(-1)


class ElectraGeneratorPredictions(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.LayerNorm = nn.LayerNorm(c['embedding_size'], eps=c['layer_norm_eps'])
        self.dense = nn.Linear(c['hidden_size'], c['embedding_size'])

    def forward(self, h):
        return self.LayerNorm(F.gelu(self.dense(h)))


class ElectraForPreTraining(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.electra = ElectraModel(c)
        self.discriminator_predictions = ElectraDiscriminatorPredictions(c)

    def forward(self, b):
        h = self.electra(b['input_ids'].long(), b['attention_mask'], b['token_type_ids'].long(), b['position_ids'].long())
        logits = self.discriminator_predictions(h)
        active = b['attention_mask'].view(-1) == 1  # HF: BCEWithLogitsLoss over active tokens
        loss = F.binary_cross_entropy_with_logits(logits.view(-1)[active], b['labels'].view(-1)[active].to(torch.float64))
        return loss, logits[..., None]  # [B, T, 1]


class ElectraForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.electra = ElectraModel(c)
        self.generator_predictions = ElectraGeneratorPredictions(c)
        self.generator_lm_head = nn.Linear(c['embedding_size'], c['vocab_size'])
        self.generator_lm_head.weight = self.electra.embeddings.word_embeddings.weight  # tie_weights

    def head(self, h):
        return self.generator_lm_head(self.generator_predictions(h))

    def forward(self, b):
        h = self.electra(b['input_ids'].long(), b['attention_mask'], b['token_type_ids'].long(), b['position_ids'].long())
        logits = self.head(h)
        loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), b['labels'].view(-1).long(), ignore_index=IGNORE)
        return loss, logits


def gumbel_argmax(logits, uniform, temperature):
    """ELECTRA sample_from_softmax: argmax(logits / temperature + Gumbel noise from uniform)."""
    scores = logits / temperature - torch.log(-torch.log(uniform + 1e-9) + 1e-9)
    top2 = torch.topk(scores, 2, dim=-1).values
    return torch.argmax(scores, -1), (top2[:, 0] - top2[:, 1]).min().item()


class ElectraPair(nn.Module):
    """The generator (shares the discriminator's embeddings module, ELECTRA's tied embeddings) + the discriminator."""

    def __init__(self, dc, gc, disc_weight=50.0, temperature=1.0):
        super().__init__()
        self.discriminator = ElectraForPreTraining(dc)
        self.generator = ElectraForMaskedLM(gc)
        self.generator.electra.embeddings = self.discriminator.electra.embeddings
        self.generator.generator_lm_head.weight = self.discriminator.electra.embeddings.word_embeddings.weight
        self.disc_weight, self.temperature = disc_weight, temperature

    def forward(self, b, uniform):
        ids, labels, mask = b['input_ids'].long(), b['labels'].long(), b['attention_mask']
        types, positions = b['token_type_ids'].long(), b['position_ids'].long()
        drawn = b['masked_positions'].long()
        bi, ki = (drawn >= 0).nonzero(as_tuple=True)  # row-major: row, then draw
        ti = drawn[bi, ki]
        hg = self.generator.electra(ids, mask, types, positions)
        logits = self.generator.head(hg[bi, ti])  # [M, V], one row per draw (duplicates included)
        gen_loss = F.cross_entropy(logits, labels[bi, ti])
        sampled, margin = gumbel_argmax(logits.detach(), uniform.to(torch.float64), self.temperature)
        originals = torch.where(labels >= 0, labels, ids).view(-1)
        flat = bi * ids.shape[1] + ti
        sums = torch.zeros(originals.shape, dtype=torch.float64).index_add_(0, flat, sampled.to(torch.float64))
        times = torch.zeros(originals.shape, dtype=torch.float64).index_add_(0, flat, torch.ones(flat.shape, dtype=torch.float64))
        hit = times > 0
        corrupted = originals.clone()
        corrupted[hit] = torch.floor(sums[hit] / times[hit]).long()  # scatter_update: floordiv by the count
        replaced = (corrupted != originals).to(torch.int32)
        hd = self.discriminator.electra(corrupted.view(ids.shape), mask, types, positions)
        dlogits = self.discriminator.discriminator_predictions(hd)
        active = mask.view(-1) == 1
        disc_loss = F.binary_cross_entropy_with_logits(dlogits.view(-1)[active], replaced.view(-1)[active].to(torch.float64))
        extra = {'gen_loss': gen_loss.item(), 'disc_loss': disc_loss.item(), 'margin': margin}
        tensors = {'sampled': sampled.to(torch.int32), 'corrupted': corrupted.view(ids.shape).to(torch.int32), 'replaced': replaced.view(ids.shape),
                   'gen_logits': logits.detach().float(), 'disc_logits': dlogits.detach().float(), 'gen_correct': (logits.argmax(-1) == labels[bi, ti]).sum().to(torch.int32).view(1)}
        return gen_loss + self.disc_weight * disc_loss, extra, tensors


# ---------------------------------------------------------------- SimCSE (BertForCL)

class BertForCL(nn.Module):
    def __init__(self, c, pooler, temperature, hard_negative_weight):
        super().__init__()
        self.bert = G.BertModel(c, pooler=False)
        self.mlp = G.BertPooler(c)  # SimCSE's MLPLayer: dense + tanh (applied to the pooled vector)
        self.pooler_type, self.temp, self.hnw = pooler, temperature, hard_negative_weight

    def forward(self, b):
        views = [k for k in ('input_ids', 'positive_input_ids', 'negative_input_ids') if k in b]
        masks = [k.replace('input_ids', 'attention_mask') for k in views]
        ids = torch.stack([b[k] for k in views], 1).long()  # [B, K, T]
        mask = torch.stack([b[k] for k in masks], 1)
        Bn, K, Tn = ids.shape
        ids, mask = ids.view(-1, Tn), mask.view(-1, Tn)  # interleaved [B*K, T]
        positions = torch.arange(Tn).expand(Bn * K, Tn)
        h, _ = self.bert(ids, mask, torch.zeros_like(ids), positions)
        if self.pooler_type == 'avg':
            m = mask.to(torch.float64)
            z = (h * m[..., None]).sum(1) / m.sum(-1)[..., None]
        else:
            z = h[:, 0]
        z = z.view(Bn, K, -1)
        if self.pooler_type == 'cls':
            z = torch.tanh(self.mlp.dense(z))
        sim = F.cosine_similarity(z[:, 0][:, None], z[:, 1][None], dim=-1) / self.temp
        if K == 3:
            z13 = F.cosine_similarity(z[:, 0][:, None], z[:, 2][None], dim=-1) / self.temp
            sim = torch.cat([sim, z13 + self.hnw * torch.eye(Bn, dtype=torch.float64)], 1)
        return F.cross_entropy(sim, torch.arange(Bn)), z.view(Bn * K, -1)


# ---------------------------------------------------------------- init, batches, cases

def init(model, c, gen):
    """HF _init_weights, then biases and LayerNorm parameters perturbed so the goldens test those paths."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('bias') or 'LayerNorm' in name:
                p.copy_((1.0 if name.endswith('weight') else 0.0) + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(c['initializer_range'] * torch.randn(p.shape, generator=gen))
        for name, p in model.named_parameters():
            if name.endswith('word_embeddings.weight'):
                p[c['pad_token_id']].zero_()


def named(model, rename=lambda n: n):
    return {rename(n): p for n, p in model.named_parameters() if rename(n) is not None}


def save(name, meta, weights, gold, extra_weights=None):
    G.write_safetensors(os.path.join(OUT, f'{name}.weights.safetensors'), {n: p.detach().float() for n, p in weights.items()}, {'format': 'pt'})
    for suffix, w in (extra_weights or {}).items():
        G.write_safetensors(os.path.join(OUT, f'{name}.{suffix}.weights.safetensors'), {n: p.detach().float() for n, p in w.items()}, {'format': 'pt'})
    G.write_safetensors(os.path.join(OUT, f'{name}.goldens.safetensors'), gold)
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'{name}: loss {meta["loss"]:.6f}')


def grads(params):
    return {f'grad.{n}': p.grad.detach().float() for n, p in params.items()}


DISC = {
    'architectures': ['ElectraForPreTraining'], 'model_type': 'electra', 'vocab_size': 97, 'embedding_size': 24,
    'hidden_size': 32, 'num_hidden_layers': 2, 'num_attention_heads': 4, 'intermediate_size': 64, 'hidden_act': 'gelu',
    'hidden_dropout_prob': 0.0, 'attention_probs_dropout_prob': 0.0, 'max_position_embeddings': 16,
    'type_vocab_size': 2, 'initializer_range': 0.02, 'layer_norm_eps': 1e-12, 'pad_token_id': 0,
    'position_embedding_type': 'absolute',
}
# get_generator_config with generator_hidden_size 0.25: hidden 8, intermediate 32, max(1, 8 // 64) = 1 head
GEN = dict(DISC, architectures=['ElectraForMaskedLM'], hidden_size=8, intermediate_size=32, num_attention_heads=1)


def electra_batch(gen):
    """[CLS] ... [SEP] rows, row 2 right-padded; ELECTRA draws (row 0 draws position 4 twice), 85% of them [MASK]."""
    x = torch.randint(5, 97, (B, T), generator=gen, dtype=torch.int32)
    x[:, 0] = CLS_ID
    x[0, 11], x[1, 11], x[2, 7] = SEP_ID, SEP_ID, SEP_ID
    mask = torch.ones(B, T, dtype=torch.uint8)
    mask[2, 8:] = 0
    x[2, 8:] = PAD_ID
    tt = torch.zeros(B, T, dtype=torch.int32)
    tt[1, 6:] = 1
    drawn = torch.tensor([[4, 9, 4, 1], [2, 3, 10, 7], [5, 1, -1, -1]], dtype=torch.int32)
    labels = torch.full((B, T), IGNORE, dtype=torch.int32)
    masked = x.clone()
    keep = {(1, 3), (2, 5)}  # the 15% kept as they are
    for b in range(B):
        for t in drawn[b].tolist():
            if t >= 0:
                labels[b, t] = x[b, t]
                if (b, t) not in keep:
                    masked[b, t] = MASK_ID
    pos = torch.arange(T, dtype=torch.int32).expand(B, T).contiguous()
    return {'input_ids': masked, 'attention_mask': mask, 'token_type_ids': tt, 'position_ids': pos, 'labels': labels, 'masked_positions': drawn}


def electra_cases():
    gen = torch.Generator().manual_seed(11)
    d = ElectraForPreTraining(DISC)
    init(d, DISC, gen)
    d = d.double()
    b = electra_batch(gen)
    rtd = dict(b, labels=(torch.rand(B, T, generator=gen) < 0.3).to(torch.int32))
    del rtd['masked_positions']
    loss, logits = d(rtd)
    loss.backward()
    params = named(d)
    save('electra-discriminator', {'config': DISC, 'loss': loss.item(), 'names': list(params)}, params,
         {**{f'batch.{k}': v for k, v in rtd.items()}, 'logits': logits.detach().float(), **grads(params)})

    g = ElectraForMaskedLM(GEN)
    init(g, GEN, gen)
    g = g.double()
    mlm = {k: v for k, v in b.items() if k != 'masked_positions'}
    loss, logits = g(mlm)
    loss.backward()
    params = named(g, lambda n: None if n == 'generator_lm_head.weight' else n)
    save('electra-generator', {'config': GEN, 'loss': loss.item(), 'names': list(params)}, params,
         {**{f'batch.{k}': v for k, v in mlm.items()}, 'logits': logits.detach().float(), **grads(params)})

    pair = ElectraPair(DISC, GEN)
    init(pair, DISC, gen)
    pair = pair.double()
    M = int((b['masked_positions'] >= 0).sum())
    for attempt in range(100):  # noise whose samples are not near a tie, so float32 engines pick the same ids
        uniform = torch.rand(M, DISC['vocab_size'], generator=gen, dtype=torch.float32)
        pair.zero_grad()
        loss, extra, tensors = pair(b, uniform)
        if extra['margin'] > 1e-3:
            break
    assert extra['margin'] > 1e-3, extra['margin']
    loss.backward()
    shared = {'discriminator.electra.embeddings.' + k for k, _ in pair.discriminator.electra.embeddings.named_parameters()}

    def pair_name(n):
        if n.startswith('discriminator.'):
            return n[len('discriminator.'):]
        if n == 'generator.generator_lm_head.weight' or n.replace('generator.', 'discriminator.', 1) in shared:
            return None
        return n

    params = named(pair, pair_name)
    disc_w = {n: p for n, p in params.items() if not n.startswith('generator.')}
    gen_w = named(pair.generator, lambda n: None if n == 'generator_lm_head.weight' else n)
    gold = {**{f'batch.{k}': v for k, v in b.items()}, 'noise': uniform, **tensors, **grads(params)}
    gold.update(gumbel_table(gen))
    meta = {'config': DISC, 'generator_config': GEN, 'loss': loss.item(), 'names': list(params), 'disc_weight': 50.0, 'temperature': 1.0, **extra}
    save('electra-pretraining', meta, disc_w, gold, {'generator': gen_w})


def gumbel_table(gen):
    """Gumbel-max on its own: 64 rows of logits over 97 ids with fixed noise, at temperatures 1 and 2."""
    logits = (3 * torch.randn(64, 97, generator=gen)).float()
    uniform = torch.rand(64, 97, generator=gen, dtype=torch.float32)
    out = {'gumbel.logits': logits, 'gumbel.noise': uniform}
    for temp in (1, 2):
        s, margin = gumbel_argmax(logits.double(), uniform.double(), float(temp))
        assert margin > 1e-4, margin
        out[f'gumbel.samples_t{temp}'] = s.to(torch.int32)
    return out


BERT_CL = {
    'architectures': ['BertModel'], 'model_type': 'bert', 'vocab_size': 97, 'hidden_size': 32, 'num_hidden_layers': 2,
    'num_attention_heads': 4, 'intermediate_size': 64, 'hidden_act': 'gelu', 'hidden_dropout_prob': 0.0,
    'attention_probs_dropout_prob': 0.0, 'max_position_embeddings': 16, 'type_vocab_size': 2,
    'initializer_range': 0.1, 'layer_norm_eps': 1e-12, 'pad_token_id': 0, 'position_embedding_type': 'absolute',
}  # initializer_range 0.1: sentence vectors far enough apart that InfoNCE is not log(B) at init


def sentences(gen, Bn, lengths):
    x = torch.full((Bn, T), PAD_ID, dtype=torch.int32)
    mask = torch.zeros(Bn, T, dtype=torch.uint8)
    for i, L in enumerate(lengths):
        x[i, :L] = torch.randint(5, 97, (L,), generator=gen, dtype=torch.int32)
        x[i, 0], x[i, L - 1] = CLS_ID, SEP_ID
        mask[i, :L] = 1
    return x, mask


def simcse_case(name, gen, pooler, supervised, temperature=0.05, hnw=0.0):
    Bn = 4
    settings = {'pooler': pooler, 'eval_pooler': pooler, 'temperature': temperature, 'hard_negative_weight': hnw}
    config = dict(BERT_CL, simcse=settings)
    model = BertForCL(config, pooler, temperature, hnw)
    init(model, config, gen)
    model = model.double()
    ids, mask = sentences(gen, Bn, [12, 9, 7, 12])
    b = {'input_ids': ids, 'attention_mask': mask}
    if supervised:
        b['positive_input_ids'], b['positive_attention_mask'] = sentences(gen, Bn, [10, 12, 6, 8])
        b['negative_input_ids'], b['negative_attention_mask'] = sentences(gen, Bn, [12, 5, 11, 9])
    else:  # the same sentence twice (dropout is the noise in training; 0 here so both engines agree)
        b['positive_input_ids'], b['positive_attention_mask'] = ids.clone(), mask.clone()
    loss, z = model(b)
    loss.backward()
    params = named(model, lambda n: n[len('bert.'):] if n.startswith('bert.') else n.replace('mlp.', 'pooler.'))
    gold = {**{f'batch.{k}': v for k, v in b.items()}, 'pooled': z.detach().float(), **{f'grad.{n}': (p.grad if p.grad is not None else torch.zeros_like(p)).detach().float() for n, p in params.items()}}
    save(name, {'config': config, 'loss': loss.item(), 'names': list(params)}, params, gold)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    electra_cases()
    gen = torch.Generator().manual_seed(21)
    simcse_case('simcse-unsup', gen, 'cls', supervised=False)
    simcse_case('simcse-sup', gen, 'avg', supervised=True, hnw=0.5)


if __name__ == '__main__':
    main()
