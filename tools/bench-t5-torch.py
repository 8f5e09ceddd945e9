#!/usr/bin/python3
"""The PyTorch side of bench:train's T5 row: the same T5ForConditionalGeneration (tools/make-t5-goldens.py's modules,
HF's names and math) on the same batch, one step = zero_grad, forward, backward, clip_grad_norm_(1.0), AdamW, fp32,
timed at 1 and 2 intra-op threads (Debian's torch on OpenBLAS), median of the timed steps after warm-up.
Reads {"config": T5Config, "batch": {field: [B, L] lists}, "lr", "warmup", "timed"} as JSON on stdin; prints
{"threads": {"1": ms, "2": ms}} on stdout.
Usage: bench/train-step.ts runs it when /usr/bin/python3 can import torch; `npm test` never does.
"""
import importlib.util
import json
import os
import sys
import time

import torch

_spec = importlib.util.spec_from_file_location('make_t5_goldens', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'make-t5-goldens.py'))
t5 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(t5)


def main():
    job = json.load(sys.stdin)
    c = job['config']
    torch.manual_seed(0)
    model = t5.T5ForConditionalGeneration(c)
    t5.init_t5(model, c, torch.Generator().manual_seed(0))
    model = model.float()
    batch = {k: torch.tensor(v, dtype=torch.uint8 if 'mask' in k else torch.int32) for k, v in job['batch'].items()}
    opt = torch.optim.AdamW(model.parameters(), lr=job['lr'], weight_decay=0.01)

    def step():
        opt.zero_grad(set_to_none=False)
        loss, _ = model(batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    out = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for _ in range(job['warmup']):
            step()
        ms = []
        for _ in range(job['timed']):
            t0 = time.perf_counter()
            step()
            ms.append((time.perf_counter() - t0) * 1000)
        out[str(threads)] = sorted(ms)[len(ms) // 2]
    print(json.dumps({'threads': out}))


if __name__ == '__main__':
    main()
