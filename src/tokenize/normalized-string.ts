// A string being normalized, with the original range of every UTF-16 unit (HF NormalizedString).
// start(i), end(i): absolute UTF-16 offsets into the input of normalized unit i (starts[off + i]); both
// units of a surrogate pair share one range. Arrays are never written in place, so slices share them.
// Semantics of `transform` follow huggingface/tokenizers tokenizer/normalizer.rs, in code points.

/** One output char of a transformation and its change: 0 replaces, 1 inserts, -n replaces and removes n. */
export interface Change {
  chars: string[];
  changes: number[];
}

export class NormalizedString {
  constructor(
    public text: string,
    private starts: Int32Array,
    private ends: Int32Array,
    /** Original offset of this slice's start (HF original_shift): the anchor of chars inserted at 0. */
    public shift: number,
    private off = 0,
  ) {}

  start(i: number): number {
    return this.starts[this.off + i];
  }

  end(i: number): number {
    return this.ends[this.off + i];
  }

  /** `new NormalizedString` over `original`, each unit aligned to its own code point. */
  static from(original: string, base = 0): NormalizedString {
    const n = original.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = original.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
        const d = original.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          starts[i] = starts[i + 1] = base + i;
          ends[i] = ends[i + 1] = base + i + 2;
          i++;
          continue;
        }
      }
      starts[i] = base + i;
      ends[i] = base + i + 1;
    }
    return new NormalizedString(original, starts, ends, base);
  }

  get length(): number {
    return this.text.length;
  }

  /** Normalized units [a, b) as a new NormalizedString sharing alignments. */
  slice(a: number, b: number): NormalizedString {
    const shift = b > a ? this.start(a) : this.shift;
    return new NormalizedString(this.text.slice(a, b), this.starts, this.ends, shift, this.off + a);
  }

  /** Original [start, end) covered by normalized units [a, b) (HF convert_offsets, Normalized). */
  originalRange(a: number, b: number): [number, number] {
    if (b <= a || b > this.text.length) return [this.shift + a, this.shift + a];
    return [this.start(a), this.end(b - 1)];
  }

  /** Original start of the slice (HF offsets_original().0). */
  originalStart(): number {
    return this.text.length > 0 ? this.start(0) : this.shift;
  }

  /** Replace the text by one of the same UTF-16 layout (every unit maps to one unit). */
  setSameLayout(text: string): void {
    this.text = text;
  }

  /** Whole-string transformation; `initialOffset` chars are removed at the start. */
  transform(t: Change, initialOffset = 0): void {
    this.transformRange(0, this.text.length, t, initialOffset);
  }

  /** HF transform_range over normalized units [a, b). */
  transformRange(a: number, b: number, t: Change, initialOffset = 0): void {
    const { text, off } = this;
    const starts = this.starts.subarray(off, off + text.length);
    const ends = this.ends.subarray(off, off + text.length);
    let pos = a; // unit index in the old string of the next char to consume
    const next = (): boolean => {
      if (pos >= b) return false;
      pos += unitsAt(text, pos);
      return true;
    };
    for (let k = 0; k < initialOffset; k++) next();
    let outLen = 0;
    for (const c of t.chars) outLen += c.length;
    const ns = new Int32Array(a + outLen + (text.length - b));
    const ne = new Int32Array(ns.length);
    ns.set(starts.subarray(0, a));
    ne.set(ends.subarray(0, a));
    let w = a;
    for (let k = 0; k < t.chars.length; k++) {
      const c = t.chars[k];
      const change = t.changes[k];
      let s: number;
      let e: number;
      if (change > 0) {
        if (pos < 1) [s, e] = [this.shift, this.shift];
        else [s, e] = [starts[pos - 1], ends[pos - 1]];
      } else {
        const i = Math.min(pos, text.length - 1);
        [s, e] = i >= 0 ? [starts[i], ends[i]] : [this.shift, this.shift];
        next();
        for (let r = 0; r < -change; r++) next();
      }
      for (let u = 0; u < c.length; u++, w++) {
        ns[w] = s;
        ne[w] = e;
      }
    }
    ns.set(starts.subarray(b), w);
    ne.set(ends.subarray(b), w);
    this.text = text.slice(0, a) + t.chars.join('') + text.slice(b);
    this.starts = ns;
    this.ends = ne;
    this.off = 0;
  }

  /** HF prepend: `s` takes the alignment of the first char. */
  prepend(s: string): void {
    if (this.text.length === 0) return;
    const first = String.fromCodePoint(this.text.codePointAt(0)!);
    const chars = [...s, first];
    const changes = chars.map((_, i) => (i === 0 ? 0 : 1));
    this.transformRange(0, first.length, { chars, changes });
  }

  /** HF append: `s` takes the alignment of the last char. */
  append(s: string): void {
    if (this.text.length === 0) return;
    const last = lastChar(this.text);
    const chars = [last, ...s];
    this.transformRange(this.text.length - last.length, this.text.length, {
      chars,
      changes: chars.map((_, i) => (i === 0 ? 0 : 1)),
    });
  }

  /**
   * HF replace: each match [s, e) (sorted, disjoint) becomes `content`, inserted after removing the match, so every
   * inserted unit takes the alignment of the match's last unit (of the unit before an empty match). One pass.
   */
  replace(matches: [number, number][], content: string): void {
    if (matches.length === 0) return;
    const { text, off, starts, ends } = this;
    let outLen = text.length;
    for (const [s, e] of matches) outLen += content.length - (e - s);
    const ns = new Int32Array(outLen);
    const ne = new Int32Array(outLen);
    const parts: string[] = [];
    let w = 0;
    let prev = 0;
    for (const [s, e] of matches) {
      ns.set(starts.subarray(off + prev, off + s), w);
      ne.set(ends.subarray(off + prev, off + s), w);
      w += s - prev;
      const a = e > 0 ? starts[off + e - 1] : this.shift;
      const b = e > 0 ? ends[off + e - 1] : this.shift;
      ns.fill(a, w, w + content.length);
      ne.fill(b, w, w + content.length);
      w += content.length;
      parts.push(text.slice(prev, s), content);
      prev = e;
    }
    ns.set(starts.subarray(off + prev, off + text.length), w);
    ne.set(ends.subarray(off + prev, off + text.length), w);
    parts.push(text.slice(prev));
    this.text = parts.join('');
    this.starts = ns;
    this.ends = ne;
    this.off = 0;
  }

  /** HF filter: drop the chars for which keep is false. */
  filter(keep: (cp: number) => boolean): void {
    const out: string[] = [];
    const changes: number[] = [];
    let removed = 0;
    let leading = 0;
    for (const ch of this.text) {
      if (keep(ch.codePointAt(0)!)) {
        if (out.length === 0) leading = removed;
        else changes[changes.length - 1] = -removed;
        out.push(ch);
        changes.push(0);
        removed = 0;
      } else removed++;
    }
    if (out.length === 0) leading = removed;
    else changes[changes.length - 1] = -removed;
    if (leading === 0 && removed === 0 && changes.every((c) => c === 0)) return;
    this.transform({ chars: out, changes }, leading);
  }

  /** HF lrstrip: remove leading/trailing whitespace. */
  strip(left: boolean, right: boolean, isWs: (cp: number) => boolean): void {
    const chars = [...this.text];
    let lead = 0;
    if (left) while (lead < chars.length && isWs(chars[lead].codePointAt(0)!)) lead++;
    let trail = 0;
    if (right) while (trail < chars.length - lead && isWs(chars[chars.length - 1 - trail].codePointAt(0)!)) trail++;
    if (lead === 0 && trail === 0) return;
    const kept = chars.slice(lead, chars.length - trail);
    const changes = kept.map((_, i) => (i === kept.length - 1 ? -trail : 0));
    this.transform({ chars: kept, changes }, lead);
  }
}

/** UTF-16 units of the code point at i: 2 only for a high surrogate followed by a low one (a lone one is 1). */
export function unitsAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c >= 0xdc00 || i + 1 >= s.length) return 1;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d < 0xe000 ? 2 : 1;
}

function lastChar(s: string): string {
  const n = s.length;
  const c = s.charCodeAt(n - 1);
  const pair = c >= 0xdc00 && c < 0xe000 && n > 1 && s.charCodeAt(n - 2) >= 0xd800 && s.charCodeAt(n - 2) < 0xdc00;
  return pair ? s.slice(-2) : s.slice(-1);
}

/** Number of code points in s[a, b). */
export function countChars(s: string, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i += unitsAt(s, i)) n++;
  return n;
}
