// pretext show: one objective on one text, in colour (or --json): what the model sees and what it must predict.
import { PretextError } from '../../src/errors.js';
import type { DocumentExample, ModelInput, Objective, TokenExample } from '../../src/objectives/objective.js';
import { IGNORE_INDEX, isDocumentObjective } from '../../src/objectives/objective.js';
import { specialMask, type VocabInfo } from '../../src/objectives/vocab.js';
import { sentencesOfText } from '../../src/corpus/index.js';
import type { Tokenizer } from '../../src/tokenize/index.js';
import { formatHelp, parseArgs, type FlagSpec } from '../args.js';
import { defaultTokenizer, familyOf } from '../default-tokenizers.js';
import { loadBrownSample } from '../brown-sample.js';
import { findObjective, objectiveFlag, optionFlags, optionValues, readTokenizer } from '../objective-flags.js';
import { columns, inline, legend, maskingRoles, painter, type Cell, type Painter, type Role } from '../render.js';
import { serializeExample } from '../rows.js';
import type { Command } from './command.js';

const baseFlags: FlagSpec[] = [
  objectiveFlag('mlm'),
  { name: 'seed', type: 'int', default: 0, help: 'random seed (0 is a real seed)' },
  { name: 'epoch', type: 'int', default: 0, help: 'epoch (dynamic masking draws anew each epoch)' },
  { name: 'json', type: 'boolean', default: false, help: 'print the fields as JSON lines instead of the coloured view' },
  { name: 'tokenizer', type: 'string', help: "tokenizer.json to use (default: pretext's built-in tokenizer for the objective's family, trained on Brown)" },
  { name: 'color', type: 'string', default: 'auto', choices: ['auto', 'always', 'never'], help: 'colour output' },
  { name: 'width', type: 'int', help: 'wrap width (default: the terminal width, or 100)' },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext show "The cat sat on the mat." --objective mlm [--seed 7] [--json] [objective options]';
const ABOUT = 'Show an objective on a text: the model inputs, what is selected or corrupted, and the targets.\nFor nsp/sop the text is document 0 and other documents come from the Brown corpus.';

/** Token rows or documents for the objective, from the text. */
async function inputFor(o: Objective, opts: Record<string, unknown>, text: string, tok: Tokenizer): Promise<{ rows?: TokenExample[]; docs?: DocumentExample[] }> {
  const family = familyOf(o.id);
  if (o.needs.documents) {
    // word ids per sentence, so whole-word and SpanBERT masking of the pairs can run
    const doc = (id: string | number, sentences: string[]): DocumentExample => {
      const encs = sentences.map((s) => tok.encode(s, undefined, { addSpecialTokens: false }));
      return { id, sentences: encs.map((e) => e.ids), word_ids: encs.map((e) => e.wordIds) };
    };
    const others = (await loadBrownSample(12)).map((d, i) => doc(d.id ?? i, d.sentences));
    return { docs: [doc('text', sentencesOfText(text)), ...others] };
  }
  const encode = (s: string) => tok.encode(s, undefined, { addSpecialTokens: family.addSpecialTokens });
  if (opts.mode === 'supervised') {
    // a supervised contrastive row: the text's first three sentences are anchor, positive and hard negative
    const s = sentencesOfText(text);
    if (s.length < 3) throw new PretextError(`--mode supervised takes three sentences from the text (anchor. positive. hard negative.); got ${s.length}`);
    return { rows: [{ input_ids: encode(s[0]).ids, positive_ids: encode(s[1]).ids, negative_ids: encode(s[2]).ids }] };
  }
  const enc = encode(text);
  if (enc.ids.length === 0) throw new PretextError('the text has no tokens');
  return { rows: [{ input_ids: enc.ids, word_ids: enc.wordIds }] };
}

function tokenText(tok: Tokenizer, id: number): string {
  const t = tok.idToToken(id) ?? `<${id}>`;
  return t.replace(/^Ġ/, '▁').replace(/Ċ/g, '\\n');
}

function roleOfSpecial(id: number, vocab: VocabInfo, special: Uint8Array): Role {
  if (!special[id]) return 'context';
  const named = [vocab.padId, vocab.unkId, vocab.clsId, vocab.sepId, vocab.maskId, vocab.bosId, vocab.eosId];
  return named.includes(id) ? 'special' : 'sentinel';
}

/** The coloured view of one example. Which view is derived from its fields and the objective's heads. */
function render(o: Objective, ex: ModelInput, tok: Tokenizer, vocab: VocabInfo, p: Painter, maxWidth: number): string {
  const special = specialMask(vocab);
  const isSpecial = (id: number) => special[id] === 1;
  const out: string[] = [];
  const ids = ex.input_ids;
  const cellsOf = (arr: Int32Array, roleOf: (id: number, i: number) => Role): Cell[] => Array.from(arr, (id, i) => (id === IGNORE_INDEX ? { text: '·', role: 'context' as Role } : { text: tokenText(tok, id), role: roleOf(id, i) }));

  if (ex.decoder_input_ids && ex.labels) {
    // Encoder-decoder: corrupted inputs and the targets the decoder must produce.
    const inputs = cellsOf(ids, (id) => roleOfSpecial(id, vocab, special));
    const targets = cellsOf(ex.labels, (id) => (roleOfSpecial(id, vocab, special) === 'context' ? 'target' : roleOfSpecial(id, vocab, special)));
    out.push(inline('inputs ', inputs, p, maxWidth), inline('targets', targets, p, maxWidth));
    out.push(`${ids.length} input tokens, ${ex.labels.length} target tokens`);
    out.push(legend([...inputs, ...targets].map((c) => c.role), p));
    return out.join('\n');
  }
  if (o.heads.includes('lm') && ex.labels) {
    // Causal LM: at position t the model predicts labels[t + 1] (HF shifts inside the model).
    const input = cellsOf(ids, (id) => (isSpecial(id) ? 'special' : 'context'));
    const next: Cell[] = Array.from(ids, (_id, t) => {
      const y = t + 1 < ids.length ? ex.labels![t + 1] : IGNORE_INDEX;
      return y === IGNORE_INDEX ? { text: '·', role: 'context' } : { text: tokenText(tok, y), role: 'target' };
    });
    out.push(columns(['input', 'predicts'], [input, next], p, maxWidth));
    const targets = next.filter((c) => c.role === 'target').length;
    out.push(`loss on ${targets} of ${ids.length} positions: every token is a target`);
    out.push(legend(next.map((c) => c.role), p));
    return out.join('\n');
  }
  const roles = maskingRoles(ex, vocab, isSpecial);
  const original = Array.from(ids, (id, i) => {
    const y = ex.labels ? ex.labels[i] : IGNORE_INDEX;
    const orig = y !== IGNORE_INDEX ? y : id;
    const segB = ex.token_type_ids && ex.token_type_ids[i] === 1 && !isSpecial(orig);
    return { text: tokenText(tok, orig), role: (segB ? 'segmentB' : isSpecial(orig) ? 'special' : 'context') as Role };
  });
  const input = Array.from(ids, (id, i) => ({ text: tokenText(tok, id), role: roles[i] }));
  out.push(columns(['original', 'input'], [original, input], p, maxWidth));
  const selected = roles.filter((r) => r === 'masked' || r === 'random' || r === 'kept').length;
  if (ex.labels) out.push(`loss on ${selected} of ${ids.length} positions`);
  if (ex.labels && selected === 0) out.push('(no token was selected this time: selection is random per token and may pick none, as in HF; try another --seed or a longer text)');
  if (ex.next_sentence_label !== undefined) out.push(`next_sentence_label = ${ex.next_sentence_label} (${ex.next_sentence_label === 0 ? 'IsNext: B continues A' : 'NotNext: B comes from another document'})${describeSource(ex)}`);
  if (ex.sentence_order_label !== undefined) out.push(`sentence_order_label = ${ex.sentence_order_label} (${ex.sentence_order_label === 0 ? 'in order' : 'swapped: B came before A'})${describeSource(ex)}`);
  for (const [key, value] of Object.entries(ex)) {
    if (key !== 'input_ids' && key.endsWith('input_ids') && value instanceof Int32Array) {
      out.push(inline(key.replace(/_input_ids$/, ' view'), cellsOf(value, (id) => (isSpecial(id) ? 'special' : 'context')), p, maxWidth));
    }
  }
  if (ex.masked_positions instanceof Int32Array) out.push(`masked_positions = [${Array.from(ex.masked_positions).join(', ')}]`);
  out.push(legend([...roles, ...original.map((c) => c.role).filter((r) => r === 'segmentB')], p));
  return out.join('\n');
}

function describeSource(ex: ModelInput): string {
  const s = ex.source;
  if (!s) return '';
  return `; A = document ${s.a.doc} sentences [${s.a.start}, ${s.a.end}), B = document ${s.b.doc} sentences [${s.b.start}, ${s.b.end})`;
}

export const showCommand: Command = {
  name: 'show',
  summary: 'show an objective on a text, in colour (or --json)',
  async run(argv) {
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    const objective = findObjective(argv, 'mlm');
    const flags = [...baseFlags, ...optionFlags(objective)];
    const args = parseArgs(argv, flags);
    if (wantsHelp) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    const text = args.positionals.join(' ');
    if (text.trim() === '') throw new PretextError('empty text: give the text to show, e.g. pretext show "The cat sat on the mat."');
    const tok = args.flags.tokenizer ? readTokenizer(args.flags.tokenizer as string) : defaultTokenizer(objective.id);
    const vocab = tok.vocabInfo();
    const opts = objective.resolve(optionValues(objective, args));
    const ctx = { seed: args.flags.seed as number, epoch: args.flags.epoch as number, vocab };
    const { rows, docs } = await inputFor(objective, opts as Record<string, unknown>, text, tok);
    let examples = [...(isDocumentObjective(objective) ? objective.transform(docs!, opts, ctx) : objective.transform(rows!, opts, ctx))];
    if (docs) examples = examples.filter((e) => e.source?.a.doc === 0);
    if (examples.length === 0) throw new PretextError(`${objective.id} produced no example from this text (too short?)`);
    if (args.flags.json) {
      for (const ex of examples) process.stdout.write(serializeExample(ex) + '\n');
      return 0;
    }
    const colourFlag = args.flags.color as string;
    const colour = colourFlag === 'always' || (colourFlag === 'auto' && process.stdout.isTTY === true && !process.env.NO_COLOR);
    const maxWidth = (args.flags.width as number | undefined) ?? (process.stdout.columns || 100);
    const p = painter(colour);
    process.stdout.write(`${objective.id}: ${objective.title} — ${objective.summary}\nseed ${ctx.seed}, epoch ${ctx.epoch}, tokenizer ${args.flags.tokenizer ?? familyOf(objective.id).name}\n\n`);
    examples.forEach((ex, k) => {
      if (examples.length > 1) process.stdout.write(`example ${k + 1} of ${examples.length}\n`);
      process.stdout.write(render(objective, ex, tok, vocab, p, maxWidth) + '\n\n');
    });
    return 0;
  },
};
