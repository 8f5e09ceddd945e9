#!/usr/bin/env python3
"""Check a `pretext export --format hf` folder against PyTorch re-implementations of HF's modules with HF's
parameter names (tools/make-goldens.py): the safetensors hold exactly the tensors save_pretrained would write
(names and shapes, tied copies left out), they load with strict=True (tied copies filled from their source), and
a forward pass runs. HF transformers itself is not installable here; this is the nearest independent check.
Usage: python3 tools/check-export.py DIR [DIR ...]"""
import importlib.util, json, os, struct, sys
import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('goldens', os.path.join(here, 'make-goldens.py'))
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)

DTYPES = {'F32': np.float32, 'I64': np.int64, 'I32': np.int32}
TIED = {'cls.predictions.decoder.weight': 'bert.embeddings.word_embeddings.weight', 'cls.predictions.decoder.bias': 'cls.predictions.bias', 'lm_head.weight': 'transformer.wte.weight'}


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


def build(config):
    arch = config['architectures'][0]
    if arch in ('BertForMaskedLM', 'BertForPreTraining'):
        return g.Bert(config, nsp=arch == 'BertForPreTraining')
    if arch == 'GPT2LMHeadModel':
        return g.GPT2LMHeadModel(config)
    raise SystemExit(f'check-export: no PyTorch module for {arch} in tools/make-goldens.py')


def check(folder):
    config = json.load(open(os.path.join(folder, 'config.json')))
    model = build(config)
    tensors = read_safetensors(os.path.join(folder, 'model.safetensors'))
    want = {n: tuple(p.shape) for n, p in model.named_parameters() if n in g.hf_names(model)}
    got = {n: tuple(t.shape) for n, t in tensors.items()}
    assert got == want, f'{folder}: names/shapes differ: missing {sorted(set(want) - set(got))[:5]}, unexpected {sorted(set(got) - set(want))[:5]}'
    state = dict(tensors)
    for tied, source in TIED.items():
        if tied in model.state_dict():
            state[tied] = tensors[source]
    model.load_state_dict(state, strict=True)
    V = config['vocab_size']
    ids = torch.randint(0, V, (2, 8))
    batch = {'input_ids': ids, 'attention_mask': torch.ones(2, 8, dtype=torch.uint8), 'token_type_ids': torch.zeros(2, 8, dtype=torch.int32),
             'position_ids': torch.arange(8).expand(2, 8), 'labels': ids, 'next_sentence_label': torch.zeros(2, dtype=torch.int64)}
    model = model.double().eval()  # the reference modules compute in float64
    with torch.no_grad():
        loss, logits = model(batch)
    assert torch.isfinite(loss), f'{folder}: loss {loss}'
    print(f'ok {folder}: {config["architectures"][0]}, {len(got)} tensors match HF names and shapes, forward loss {loss.item():.4f}')


for d in sys.argv[1:]:
    check(d)
