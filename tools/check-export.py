#!/usr/bin/env python3
"""Check a `pretext export --format hf` folder against PyTorch re-implementations of HF's modules with HF's
parameter names: BERT and GPT-2 (tools/make-goldens.py), T5 (tools/make-t5-goldens.py), ELECTRA's discriminator and
generator (tools/make-goldens-electra-simcse.py), HF BertModel (SimCSE's encoder; make-goldens.py's BertModel with its
pooler). For each model folder (and each model in a subfolder, e.g.
ELECTRA's generator/): the safetensors hold exactly the tensors save_pretrained would write (names and shapes, tied
copies left out), they load with strict=True (tied copies filled from the tensor they share), and a float64 forward
pass on a random batch gives a finite loss. HF transformers itself is not installable here; this is the nearest
independent check.
Usage: /usr/bin/python3 tools/check-export.py DIR [DIR ...]"""
import importlib.util, json, os, struct, sys
import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(here, file))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


g = load('goldens', 'make-goldens.py')
t5 = load('t5_goldens', 'make-t5-goldens.py')
el = load('electra_goldens', 'make-goldens-electra-simcse.py')

DTYPES = {'F32': np.float32, 'I64': np.int64, 'I32': np.int32}


def read_safetensors(path):
    with open(path, 'rb') as f:
        (n,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        a, b = e['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=DTYPES[e['dtype']]).reshape(e['shape']).copy())
    return out


def bert_batch(config):
    ids = torch.randint(0, config['vocab_size'], (2, 8))
    return {'input_ids': ids, 'attention_mask': torch.ones(2, 8, dtype=torch.uint8), 'token_type_ids': torch.zeros(2, 8, dtype=torch.int32),
            'position_ids': torch.arange(8).expand(2, 8), 'labels': ids, 'next_sentence_label': torch.zeros(2, dtype=torch.int64)}


def electra_disc_batch(config):
    return dict(bert_batch(config), labels=torch.randint(0, 2, (2, 8)))


def t5_batch(config):
    V = config['vocab_size']
    mask = torch.ones(2, 8, dtype=torch.uint8)
    mask[1, 6:] = 0
    return {'input_ids': torch.randint(2, V, (2, 8)), 'attention_mask': mask, 'labels': torch.randint(2, V, (2, 5))}


class BertModelCheck(g.BertModel):
    """HF BertModel (SimCSE's encoder, saved without the bert. prefix) with its pooler; no loss of its own, so the
    forward pass reports the mean squared pooled output."""

    def __init__(self, c):
        super().__init__(c, pooler=True)

    def forward(self, b):
        h, pooled = super().forward(b['input_ids'].long(), b['attention_mask'], b['token_type_ids'].long(), b['position_ids'].long())
        return pooled.pow(2).mean(), pooled


# architecture -> (module, the names save_pretrained writes, a batch for the forward pass)
def named(model):
    return [n for n, _ in model.named_parameters()]  # shared parameters once, under the name they were first registered


ARCHITECTURES = {
    'BertForMaskedLM': (lambda c: g.Bert(c, nsp=False), g.hf_names, bert_batch),
    'BertForPreTraining': (lambda c: g.Bert(c, nsp=True), g.hf_names, bert_batch),
    'GPT2LMHeadModel': (g.GPT2LMHeadModel, g.hf_names, bert_batch),
    'T5ForConditionalGeneration': (t5.T5ForConditionalGeneration, named, t5_batch),
    'ElectraForPreTraining': (el.ElectraForPreTraining, named, electra_disc_batch),
    'ElectraForMaskedLM': (el.ElectraForMaskedLM, named, bert_batch),
    'BertModel': (BertModelCheck, named, bert_batch),
}


def check(folder):
    config = json.load(open(os.path.join(folder, 'config.json')))
    arch = config['architectures'][0]
    if arch not in ARCHITECTURES:
        raise SystemExit(f'check-export: no PyTorch module for {arch} (known: {", ".join(ARCHITECTURES)})')
    build, hf_names, batch_of = ARCHITECTURES[arch]
    model = build(config)
    tensors = read_safetensors(os.path.join(folder, 'model.safetensors'))
    params = dict(model.named_parameters())
    want = {n: tuple(params[n].shape) for n in hf_names(model)}
    got = {n: tuple(t.shape) for n, t in tensors.items()}
    assert got == want, f'{folder}: names/shapes differ: missing {sorted(set(want) - set(got))[:5]}, unexpected {sorted(set(got) - set(want))[:5]}'
    # tied copies (state_dict keys save_pretrained leaves out) from the exported tensor of the same storage
    by_storage = {t.data_ptr(): n for n, t in model.state_dict().items() if n in tensors}
    state = dict(tensors)
    for name, t in model.state_dict().items():
        if name not in state:
            source = by_storage.get(t.data_ptr())
            assert source is not None, f'{folder}: {name} is neither exported nor tied to an exported tensor'
            state[name] = tensors[source]
    model.load_state_dict(state, strict=True)
    model = model.double().eval()  # the reference modules compute in float64
    with torch.no_grad():
        loss, _ = model(batch_of(config))
    assert torch.isfinite(loss), f'{folder}: loss {loss}'
    tied = len(model.state_dict()) - len(got)
    print(f'ok {folder}: {arch}, {len(got)} tensors match HF names and shapes ({tied} tied copies left out), forward loss {loss.item():.4f}')
    for sub in sorted(os.listdir(folder)):
        if os.path.isfile(os.path.join(folder, sub, 'config.json')):
            check(os.path.join(folder, sub))


torch.manual_seed(0)
for d in sys.argv[1:]:
    check(d)
