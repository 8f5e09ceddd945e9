#!/usr/bin/env python3
"""The google-research/bert data pipeline (create_pretraining_data.py), timed on a text corpus, for bench:prepare.

Usage: python3 bench/baselines/bert_pipeline.py BERT_DIR CORPUS.txt VOCAB.txt [--max-seq-length 512]
BERT_DIR is a checkout of github.com/google-research/bert (not part of pretext). TensorFlow is not installable
here; its create_pretraining_data.py uses TensorFlow only for flags, logging, file access and TFRecord writing, so
a stand-in module gives it those (files through Python's open), and TFRecord writing is left out: the timed work
is BERT's FullTokenizer and create_training_instances (NSP pairs + static masks, dupe_factor 1), as released.
Prints one JSON line: wordpieces, instance tokens, seconds per phase, peak RSS."""
import glob, json, random, resource, sys, time, types

bert_dir, corpus, vocab = sys.argv[1:4]
max_seq_length = int(sys.argv[sys.argv.index('--max-seq-length') + 1]) if '--max-seq-length' in sys.argv else 512

# A stand-in for the few TensorFlow 1.x names the two files touch.
tf = types.ModuleType('tensorflow')
class _Flags:
    def __init__(self):
        self.FLAGS = types.SimpleNamespace()
    def _define(self, name, default, *_a, **_k):
        setattr(self.FLAGS, name, default)
    DEFINE_string = DEFINE_integer = DEFINE_float = DEFINE_bool = DEFINE_boolean = _define
tf.flags = _Flags()
tf.logging = types.SimpleNamespace(info=lambda *a, **k: None, set_verbosity=lambda *a: None, INFO=0)
tf.gfile = types.SimpleNamespace(GFile=open, Glob=glob.glob)
sys.modules['tensorflow'] = tf
sys.path.insert(0, bert_dir)
import tokenization  # noqa: E402
import create_pretraining_data as cpd  # noqa: E402

tokenizer = tokenization.FullTokenizer(vocab_file=vocab, do_lower_case=True)

# Phase 1: BERT's tokenizer alone over every line.
t0 = time.perf_counter()
wordpieces = 0
with open(corpus, encoding='utf-8') as f:
    for line in f:
        line = tokenization.convert_to_unicode(line).strip()
        if line:
            wordpieces += len(tokenizer.tokenize(line))
t_tokenize = time.perf_counter() - t0

# Phase 2: the whole create_training_instances (it tokenizes again, then builds NSP pairs with static masks).
t0 = time.perf_counter()
instances = cpd.create_training_instances([corpus], tokenizer, max_seq_length, 1, 0.1, 0.15, 20, random.Random(12345))
t_total = time.perf_counter() - t0
instance_tokens = sum(len(i.tokens) for i in instances)
print(json.dumps({
    'wordpieces': wordpieces, 'tokenize_s': t_tokenize, 'create_instances_s': t_total,
    'instances': len(instances), 'instance_tokens': instance_tokens,
    'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
