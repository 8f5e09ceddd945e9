// Causal LM options (spec §2, Part A): unpacked rows, or documents packed into fixed blocks.
import { ensure } from '../../errors.js';
import type { OptionSpec } from '../objective.js';
import { checkPositiveInt, resolveOptions } from '../options.js';

export interface ClmOptions {
  /** rows are whole documents: append one EOS each, concatenate, cut into blockSize rows */
  pack: boolean;
  blockSize: number;
  /** the last partial block: dropped, or padded (pad id, label -100, attention 0) */
  remainder: 'drop' | 'pad';
  /** packed rows restart position_ids per document and carry document_ids (block-diagonal causal attention) */
  documentAttention: boolean;
  /** keep the label at each document's first token in packed rows */
  boundaryLabels: boolean;
  /** 'hf': labels -100 wherever the id equals the pad id (transformers#23530); 'hf-group-texts': run_clm packing
   * (today's: every group's remainder dropped); 'hf-group-texts-legacy': a group shorter than a block is kept */
  compat: 'none' | 'hf' | 'hf-group-texts' | 'hf-group-texts-legacy';
  /** documents per group_texts call for compat 'hf-group-texts' (HF datasets.map batch_size) */
  mapBatchSize: number;
}

export const clmOptionSpecs: readonly OptionSpec[] = [
  { key: 'pack', type: 'boolean', default: false, help: 'pack documents into blockSize rows, one EOS after each' },
  { key: 'blockSize', type: 'int', default: 512, help: 'tokens per packed row' },
  {
    key: 'remainder',
    type: 'string',
    default: 'drop',
    choices: ['drop', 'pad'],
    help: 'last partial block: drop it or pad it',
  },
  {
    key: 'documentAttention',
    type: 'boolean',
    default: true,
    help: 'packed rows reset positions per document and carry document_ids',
  },
  // Off: under document attention a document's first token is predicted from the previous document's EOS, which
  // sees nothing of this document, so that label is noise (HF DataCollatorWithFlattening drops it too).
  {
    key: 'boundaryLabels',
    type: 'boolean',
    default: false,
    help: "keep the label at each document's first token when packing",
  },
  {
    key: 'compat',
    type: 'string',
    default: 'none',
    choices: ['none', 'hf', 'hf-group-texts', 'hf-group-texts-legacy'],
    help: 'hf: mask labels by pad id (erases EOS when pad == eos); hf-group-texts: HF run_clm packing (no EOS, remainders dropped, implies pack); hf-group-texts-legacy: older run_clm keeping a group shorter than a block',
  },
  { key: 'mapBatchSize', type: 'int', default: 1000, help: "documents per group for compat 'hf-group-texts'" },
];

export function resolveClmOptions(partial: Partial<ClmOptions>): ClmOptions {
  const o = resolveOptions<ClmOptions>('clm', clmOptionSpecs, partial);
  checkPositiveInt('clm', 'blockSize', o.blockSize);
  checkPositiveInt('clm', 'mapBatchSize', o.mapBatchSize);
  ensure(
    !(isGroupTexts(o) && partial.pack === false),
    `clm: compat '${o.compat}' packs documents; it cannot be combined with pack: false`,
  );
  return o;
}

/** HF run_clm's group_texts packing (either version). */
export function isGroupTexts(o: ClmOptions): boolean {
  return o.compat === 'hf-group-texts' || o.compat === 'hf-group-texts-legacy';
}
