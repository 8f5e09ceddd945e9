#!/usr/bin/env python3
"""Read pretext's prepared fixtures with NumPy alone, as Megatron-LM's IndexedDataset and np.load do, and write
what an independent reader sees as test/fixtures/prepared/numpy-golden.json (the test compares pretext's own
reading with it). Run after regenerating the fixtures: python3 tools/read-prepared.py"""
import json, os, struct
import numpy as np

root = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'prepared')
DTYPES = {1: np.uint8, 2: np.int8, 3: np.int16, 4: np.int32, 5: np.int64, 6: np.float64, 7: np.float32, 8: np.uint16}


def read_megatron(prefix):
    # megatron/core/datasets/indexed_dataset.py _IndexReader, then np.memmap of the .bin
    with open(prefix + '.idx', 'rb') as f:
        assert f.read(9) == b'MMIDIDX\x00\x00'
        (version,) = struct.unpack('<Q', f.read(8))
        assert version == 1
        (code,) = struct.unpack('<B', f.read(1))
        (seqs,) = struct.unpack('<Q', f.read(8))
        (docs,) = struct.unpack('<Q', f.read(8))
        offset = f.tell()
    buf = np.memmap(prefix + '.idx', mode='r', order='C')
    lengths = np.frombuffer(buf, dtype=np.int32, count=seqs, offset=offset)
    pointers = np.frombuffer(buf, dtype=np.int64, count=seqs, offset=offset + lengths.nbytes)
    doc_idx = np.frombuffer(buf, dtype=np.int64, count=docs, offset=offset + lengths.nbytes + pointers.nbytes)
    dtype = DTYPES[code]
    data = np.memmap(prefix + '.bin', mode='r', order='C')
    sequences = [np.frombuffer(data, dtype=dtype, count=int(n), offset=int(p)).tolist() for n, p in zip(lengths, pointers)]
    return {'dtype': np.dtype(dtype).name, 'lengths': lengths.tolist(), 'pointers': pointers.tolist(), 'document_indices': doc_idx.tolist(), 'sequences': sequences}


def read_npy(prefix):
    tokens = np.load(prefix + '.tokens.npy')
    seq = np.load(prefix + '.sequences.npy')
    docs = np.load(prefix + '.documents.npy')
    return {'dtype': tokens.dtype.name, 'shape': list(tokens.shape), 'sequence_offsets': seq.tolist(), 'document_indices': docs.tolist(),
            'sequences': [tokens[a:b].tolist() for a, b in zip(seq[:-1], seq[1:])]}


def read_rows(prefix):
    # rows with static masks: one [R, L] (or [R]) array per HF column
    out = {}
    for field in ('input_ids', 'labels', 'attention_mask'):
        a = np.load(f'{prefix}.{field}.npy')
        out[field] = {'dtype': a.dtype.name, 'shape': list(a.shape), 'rows': a.tolist()}
    return out


out = {'megatron': read_megatron(os.path.join(root, 'megatron', 'shard-00000-of-00001')),
       'npy': read_npy(os.path.join(root, 'npy', 'shard-00000-of-00001')),
       'rows_npy': read_rows(os.path.join(root, 'rows-npy', 'shard-00000-of-00001'))}
with open(os.path.join(root, 'numpy-golden.json'), 'w') as f:
    json.dump(out, f)
    f.write('\n')
print('wrote numpy-golden.json:', len(out['megatron']['lengths']), 'sequences')
