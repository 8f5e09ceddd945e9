#!/usr/bin/python3
"""PyTorch goldens for src/model: BertForMaskedLM / BertForPreTraining / GPT2LMHeadModel, re-implemented in plain
PyTorch with HF's module names (so state_dict keys match) and HF's math (modeling_bert.py, modeling_gpt2.py:
post-LN / pre-LN, erf GELU / gelu_new, eps, extended mask (1 - m) * finfo(float32).min, tied decoder, MLM bias,
Conv1D [in, out] weights, shifted CLM loss), then AdamW (torch.optim.AdamW) + clip_grad_norm_ + HF's linear warm-up.

Math runs in float64 from float32-rounded weights; everything is stored as float32 / int32 / uint8.
Writes test/fixtures/goldens/<case>.{json,weights.safetensors,goldens.safetensors}.
Usage: /usr/bin/python3 tools/make-goldens.py   (Debian's python3-torch; `npm test` never runs this)
"""
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'goldens')
MASK_MIN = torch.finfo(torch.float32).min  # HF's additive mask value
IGNORE = -100


# ---------------------------------------------------------------- safetensors (independent of src/model/safetensors.ts)

def write_safetensors(path, tensors, metadata=None):
    """tensors: dict name -> torch tensor (float32 / int32 / uint8). Header padded with spaces to 8 bytes, like HF."""
    dtypes = {torch.float32: 'F32', torch.int32: 'I32', torch.uint8: 'U8'}
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        raw = t.numpy().tobytes()
        header[name] = {'dtype': dtypes[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


# ---------------------------------------------------------------- BERT (modeling_bert.py)

class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c['vocab_size'], c['hidden_size'], padding_idx=c['pad_token_id'])
        self.position_embeddings = nn.Embedding(c['max_position_embeddings'], c['hidden_size'])
        self.token_type_embeddings = nn.Embedding(c['type_vocab_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, input_ids, token_type_ids, position_ids):
        e = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        e = e + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(e))


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h = c['num_attention_heads']
        self.d = c['hidden_size'] // self.h
        self.query = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.key = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.value = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.dropout = nn.Dropout(c['attention_probs_dropout_prob'])

    def split(self, x):  # [B, T, C] -> [B, H, T, D]
        B, T, _ = x.shape
        return x.view(B, T, self.h, self.d).permute(0, 2, 1, 3)

    def forward(self, x, ext_mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d) + ext_mask
        probs = self.dropout(F.softmax(scores, dim=-1))
        ctx = (probs @ v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(x.shape)


class BertSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, h, x):
        return self.LayerNorm(self.dropout(self.dense(h)) + x)


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, x, ext_mask):
        return self.output(self.self(x, ext_mask), x)


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['intermediate_size'])

    def forward(self, x):
        return F.gelu(self.dense(x))  # "gelu" = erf form


class BertOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['intermediate_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, h, x):
        return self.LayerNorm(self.dropout(self.dense(h)) + x)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, x, ext_mask):
        a = self.attention(x, ext_mask)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c['num_hidden_layers'])])

    def forward(self, x, ext_mask):
        for layer in self.layer:
            x = layer(x, ext_mask)
        return x


class BertPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])

    def forward(self, h):
        return torch.tanh(self.dense(h[:, 0]))


class BertModel(nn.Module):
    def __init__(self, c, pooler):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.pooler = BertPooler(c) if pooler else None

    def forward(self, input_ids, attention_mask, token_type_ids, position_ids):
        B, T = input_ids.shape
        m = attention_mask.to(torch.float64)
        ext = m[:, None, None, :] if m.dim() == 2 else m[:, None, :, :]  # get_extended_attention_mask
        ext = (1.0 - ext) * MASK_MIN
        h = self.encoder(self.embeddings(input_ids, token_type_ids, position_ids), ext)
        return h, (self.pooler(h) if self.pooler is not None else None)


class BertPredictionHeadTransform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])

    def forward(self, x):
        return self.LayerNorm(F.gelu(self.dense(x)))


class BertLMPredictionHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.transform = BertPredictionHeadTransform(c)
        self.decoder = nn.Linear(c['hidden_size'], c['vocab_size'], bias=False)
        self.bias = nn.Parameter(torch.zeros(c['vocab_size']))
        self.decoder.bias = self.bias

    def forward(self, x):
        return self.decoder(self.transform(x))


class BertPreTrainingHeads(nn.Module):
    def __init__(self, c, nsp):
        super().__init__()
        self.predictions = BertLMPredictionHead(c)
        if nsp:
            self.seq_relationship = nn.Linear(c['hidden_size'], 2)


class Bert(nn.Module):
    """BertForMaskedLM (nsp False) or BertForPreTraining (nsp True)."""

    def __init__(self, c, nsp):
        super().__init__()
        self.nsp = nsp
        self.bert = BertModel(c, pooler=nsp)
        self.cls = BertPreTrainingHeads(c, nsp)
        self.cls.predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight  # tie_weights

    def forward(self, b):
        h, pooled = self.bert(b['input_ids'].long(), b['attention_mask'], b['token_type_ids'].long(), b['position_ids'].long())
        logits = self.cls.predictions(h)  # dense over every position, as HF
        V = logits.shape[-1]
        loss = F.cross_entropy(logits.view(-1, V), b['labels'].view(-1).long(), ignore_index=IGNORE)
        if self.nsp:
            loss = loss + F.cross_entropy(self.cls.seq_relationship(pooled), b['next_sentence_label'].long())
        return loss, logits


# ---------------------------------------------------------------- GPT-2 (modeling_gpt2.py)

class Conv1D(nn.Module):
    """HF pytorch_utils.Conv1D: weight [in, out]; y = x @ W + b."""

    def __init__(self, nf, nx):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        return x @ self.weight + self.bias


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class GPT2Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h = c['n_head']
        self.d = c['n_embd'] // self.h
        self.c_attn = Conv1D(3 * c['n_embd'], c['n_embd'])
        self.c_proj = Conv1D(c['n_embd'], c['n_embd'])
        self.attn_dropout = nn.Dropout(c['attn_pdrop'])
        self.resid_dropout = nn.Dropout(c['resid_pdrop'])

    def forward(self, x, allowed):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.h, self.d).transpose(1, 2) for t in (q, k, v))
        w = q @ k.transpose(-1, -2) / math.sqrt(self.d)
        w = w + (1.0 - allowed[:, None]) * MASK_MIN  # causal (and padding / document) mask, finfo.min
        p = self.attn_dropout(F.softmax(w, dim=-1))
        y = (p @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class GPT2MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        inner = c['n_inner'] or 4 * c['n_embd']
        self.c_fc = Conv1D(inner, c['n_embd'])
        self.c_proj = Conv1D(c['n_embd'], inner)
        self.dropout = nn.Dropout(c['resid_pdrop'])

    def forward(self, x):
        return self.dropout(self.c_proj(gelu_new(self.c_fc(x))))


class GPT2Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c['n_embd'], eps=c['layer_norm_epsilon'])
        self.attn = GPT2Attention(c)
        self.ln_2 = nn.LayerNorm(c['n_embd'], eps=c['layer_norm_epsilon'])
        self.mlp = GPT2MLP(c)

    def forward(self, x, allowed):
        x = x + self.attn(self.ln_1(x), allowed)
        return x + self.mlp(self.ln_2(x))


class GPT2Model(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = nn.Embedding(c['vocab_size'], c['n_embd'])
        self.wpe = nn.Embedding(c['n_positions'], c['n_embd'])
        self.drop = nn.Dropout(c['embd_pdrop'])
        self.h = nn.ModuleList([GPT2Block(c) for _ in range(c['n_layer'])])
        self.ln_f = nn.LayerNorm(c['n_embd'], eps=c['layer_norm_epsilon'])


class GPT2LMHeadModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.transformer = GPT2Model(c)
        self.lm_head = nn.Linear(c['n_embd'], c['vocab_size'], bias=False)
        self.lm_head.weight = self.transformer.wte.weight

    def forward(self, b):
        t = self.transformer
        ids = b['input_ids'].long()
        B, T = ids.shape
        allowed = torch.tril(torch.ones(T, T, dtype=torch.float64)).expand(B, T, T).clone()
        m = b['attention_mask'].to(torch.float64)
        allowed = allowed * (m[:, None, :] if m.dim() == 2 else m)
        x = t.drop(t.wte(ids) + t.wpe(b['position_ids'].long()))
        for block in t.h:
            x = block(x, allowed)
        logits = self.lm_head(t.ln_f(x))
        V = logits.shape[-1]
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, V), b['labels'][:, 1:].reshape(-1).long(), ignore_index=IGNORE)
        return loss, logits


# ---------------------------------------------------------------- init, batches, training steps

def init_hf(model, c, gpt2, gen):
    """HF _init_weights (normal initializer_range, biases 0, LayerNorm 1/0, padding row 0, GPT-2 c_proj scaled), then
    perturb biases and LayerNorm parameters so the goldens also test those paths."""
    std = c['initializer_range']
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('bias') or 'LayerNorm' in name or '.ln_' in name:
                base = 1.0 if name.endswith('weight') else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                s = std / math.sqrt(2 * c['n_layer']) if gpt2 and name.endswith('c_proj.weight') else std
                p.copy_(s * torch.randn(p.shape, generator=gen))
        if not gpt2:
            model.bert.embeddings.word_embeddings.weight[c['pad_token_id']].zero_()


def decays(name):
    """HF Trainer.get_decay_parameter_names: no decay for biases and LayerNorm weights."""
    return not (name.endswith('bias') or 'LayerNorm' in name or '.ln_' in name)


def hf_names(model):
    """state_dict names as save_pretrained writes them (tied copies dropped)."""
    tied = {'cls.predictions.decoder.weight', 'cls.predictions.decoder.bias', 'lm_head.weight'}
    return [n for n, _ in model.named_parameters() if n not in tied]


def linear_warmup(step, warmup, total):
    """get_linear_schedule_with_warmup's lr_lambda."""
    if step < warmup:
        return step / max(1, warmup)
    return max(0.0, (total - step) / max(1, total - warmup))


OPT = {'lr': 1e-2, 'betas': [0.9, 0.999], 'eps': 1e-8, 'weight_decay': 0.01, 'max_grad_norm': 0.5,
       'warmup_steps': 3, 'total_steps': 10, 'schedule_steps': [1, 2]}


def grad_of(p):
    """A parameter's gradient as float32; zeros for one the loss does not read (grad None, e.g. relative_key's
    position table)."""
    return (p.grad if p.grad is not None else torch.zeros_like(p)).detach().float()


def run_case(name, model, config, batch, steps, extra=None, names=None, decays=decays):
    """names: the saved parameter names (default hf_names); decays: the weight-decay rule (default HF Trainer's for BERT / GPT-2)."""
    params = dict(model.named_parameters())
    names = names or hf_names(model)
    out = {'weights': {n: params[n].detach().float() for n in names}}
    meta = {'case': name, 'config': config, 'optimizer': OPT if steps else None, 'extra': extra or {}}
    gold = {f'batch.{k}': v for k, v in batch.items()}

    model.zero_grad()
    loss, logits = model(batch)
    loss.backward()
    meta['loss'] = loss.item()
    gold['logits'] = logits.detach().float()
    for n in names:
        gold[f'grad.{n}'] = grad_of(params[n])
    if steps:
        groups = [{'params': [params[n] for n in names if decays(n)], 'weight_decay': OPT['weight_decay']},
                  {'params': [params[n] for n in names if not decays(n)], 'weight_decay': 0.0}]
        opt = torch.optim.AdamW(groups, lr=OPT['lr'], betas=tuple(OPT['betas']), eps=OPT['eps'])
        meta['lrs'], meta['grad_norms'], meta['losses'] = [], [], [loss.item()]
        for k, s in enumerate(OPT['schedule_steps']):
            lr = OPT['lr'] * linear_warmup(s, OPT['warmup_steps'], OPT['total_steps'])
            for g in opt.param_groups:
                g['lr'] = lr
            norm = torch.nn.utils.clip_grad_norm_([params[n] for n in names], OPT['max_grad_norm'])
            assert norm > OPT['max_grad_norm'], 'clipping must be exercised'
            opt.step()
            with torch.no_grad():  # the step's result as float32, which is what the TypeScript side holds
                for n in names:
                    params[n].copy_(params[n].float().double())
            meta['lrs'].append(lr)
            meta['grad_norms'].append(norm.item())
            for n in names:
                gold[f'step{k + 1}.{n}'] = params[n].detach().float()
            model.zero_grad()
            loss, _ = model(batch)
            loss.backward()
            meta['losses'].append(loss.item())
            if k == 0:
                for n in names:
                    gold[f'grad2.{n}'] = grad_of(params[n])
    meta['names'] = names
    write_safetensors(os.path.join(OUT, f'{name}.weights.safetensors'), out['weights'], {'format': 'pt'})
    write_safetensors(os.path.join(OUT, f'{name}.goldens.safetensors'), gold)
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'{name}: loss {meta["loss"]:.6f}' + (f' losses {meta["losses"]}' if steps else ''))


B, T = 3, 12

BERT = {
    'architectures': ['BertForMaskedLM'], 'model_type': 'bert', 'vocab_size': 97, 'hidden_size': 32,
    'num_hidden_layers': 2, 'num_attention_heads': 4, 'intermediate_size': 64, 'hidden_act': 'gelu',
    'hidden_dropout_prob': 0.0, 'attention_probs_dropout_prob': 0.0, 'max_position_embeddings': 16,
    'type_vocab_size': 2, 'initializer_range': 0.02, 'layer_norm_eps': 1e-12, 'pad_token_id': 0,
    'position_embedding_type': 'absolute',
}

GPT2 = {
    'architectures': ['GPT2LMHeadModel'], 'model_type': 'gpt2', 'vocab_size': 97, 'n_positions': 16, 'n_embd': 32,
    'n_layer': 2, 'n_head': 4, 'n_inner': None, 'activation_function': 'gelu_new', 'resid_pdrop': 0.0,
    'embd_pdrop': 0.0, 'attn_pdrop': 0.0, 'layer_norm_epsilon': 1e-5, 'initializer_range': 0.02,
    'bos_token_id': 96, 'eos_token_id': 96,
}


def ids(gen, low=1, high=97):
    return torch.randint(low, high, (B, T), generator=gen, dtype=torch.int32)


def bert_mlm(gen):
    x = ids(gen, 5)
    mask = torch.ones(B, T, dtype=torch.uint8)
    mask[2, 8:] = 0  # row 2 right-padded
    x[2, 8:] = 0
    tt = torch.zeros(B, T, dtype=torch.int32)
    tt[0, 6:] = 1
    tt[1, 5:] = 1
    labels = torch.full((B, T), IGNORE, dtype=torch.int32)
    for b, t in [(0, 1), (0, 4), (0, 9), (1, 2), (1, 3), (1, 11), (2, 0), (2, 5)]:
        labels[b, t] = x[b, t]
        x[b, t] = 4  # [MASK]
    labels[1, 3] = 7  # a label different from the original token, as MLM's 10% random replacement
    pos = torch.arange(T, dtype=torch.int32).expand(B, T).contiguous()
    return {'input_ids': x, 'attention_mask': mask, 'token_type_ids': tt, 'position_ids': pos, 'labels': labels}


def dense_masks():
    """[B, T, T] uint8, 1 = may attend: row 0 prefix-LM (prefix 5), row 1 two documents [0, 7) [7, 12), row 2 causal."""
    m = torch.zeros(B, T, T, dtype=torch.uint8)
    causal = torch.tril(torch.ones(T, T, dtype=torch.uint8))
    m[0] = causal
    m[0, :, :5] = 1
    m[1, :7, :7] = 1
    m[1, 7:, 7:] = 1
    m[2] = causal
    return m


def doc_positions():
    pos = torch.arange(T, dtype=torch.int32).expand(B, T).contiguous()
    pos[1, 7:] = torch.arange(T - 7, dtype=torch.int32)
    return pos


def bert_pretraining(gen):
    b = bert_mlm(gen)
    b['attention_mask'] = dense_masks()
    b['position_ids'] = doc_positions()
    b['next_sentence_label'] = torch.tensor([0, 1, 1], dtype=torch.int32)
    return b


def gpt2_clm(gen):
    x = ids(gen)
    mask = torch.ones(B, T, dtype=torch.uint8)
    mask[2, 9:] = 0
    x[2, 9:] = 96  # pad = eos
    labels = x.clone()
    labels[2, 9:] = IGNORE
    labels[0, 3] = IGNORE
    pos = torch.arange(T, dtype=torch.int32).expand(B, T).contiguous()
    return {'input_ids': x, 'attention_mask': mask, 'position_ids': pos, 'labels': labels}


def gpt2_packed(gen):
    """Packed documents: block-diagonal causal mask, positions restart per document, no label across a boundary."""
    x = ids(gen)
    m = torch.ones(B, T, T, dtype=torch.uint8)
    m[1, 7:, :7] = 0
    pos = doc_positions()
    labels = x.clone()
    labels[1, 7] = IGNORE  # first token of document 2 is not predicted from document 1
    return {'input_ids': x, 'attention_mask': m, 'position_ids': pos, 'labels': labels}


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)

    def make(cls_fn, config, seed, *args):
        gen = torch.Generator().manual_seed(seed)
        model = cls_fn(*args)
        init_hf(model, config, config['model_type'] == 'gpt2', gen)
        return model.double(), gen

    model, gen = make(Bert, BERT, 1, BERT, False)
    run_case('bert-mlm', model, BERT, bert_mlm(gen), steps=True)

    pre = dict(BERT, architectures=['BertForPreTraining'])
    model, gen = make(Bert, pre, 2, pre, True)
    run_case('bert-pretraining', model, pre, bert_pretraining(gen), steps=False)

    model, gen = make(GPT2LMHeadModel, GPT2, 3, GPT2)
    run_case('gpt2-clm', model, GPT2, gpt2_clm(gen), steps=True)

    model, gen = make(GPT2LMHeadModel, GPT2, 4, GPT2)
    run_case('gpt2-packed', model, GPT2, gpt2_packed(gen), steps=False)

    schedules = {'warmup': 3, 'total': 10, 'linear': [], 'cosine': []}
    for s in range(12):  # get_cosine_schedule_with_warmup, num_cycles 0.5
        schedules['linear'].append(linear_warmup(s, 3, 10))
        prog = (s - 3) / max(1, 10 - 3)
        schedules['cosine'].append(s / 3 if s < 3 else max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * prog))))
    with open(os.path.join(OUT, 'schedules.json'), 'w') as f:
        json.dump(schedules, f, indent=1)


if __name__ == '__main__':
    main()
