// Typed reads of tokenizer.json fields; every failure is a one-line PretextError naming the field.
import { PretextError } from '../errors.js';

export type Json = Record<string, unknown>;

export function asObject(x: unknown, where: string): Json {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new PretextError(`${where} must be an object`);
  return x as Json;
}

export function typeOf(x: unknown, where: string): string {
  const o = asObject(x, where);
  if (typeof o.type !== 'string') throw new PretextError(`${where} has no "type"`);
  return o.type;
}

export function getStr(o: Json, key: string, where: string, dflt?: string): string {
  const v = o[key];
  if (typeof v === 'string') return v;
  if ((v === undefined || v === null) && dflt !== undefined) return dflt;
  throw new PretextError(`${where}: "${key}" must be a string`);
}

export function getOptStr(o: Json, key: string, where: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  throw new PretextError(`${where}: "${key}" must be a string or null`);
}

export function getBool(o: Json, key: string, where: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  throw new PretextError(`${where}: "${key}" must be a boolean`);
}

export function getInt(o: Json, key: string, where: string, dflt?: number): number {
  const v = o[key];
  if ((v === undefined || v === null) && dflt !== undefined) return dflt;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  throw new PretextError(`${where}: "${key}" must be a non-negative integer`);
}

export function getArray(o: Json, key: string, where: string): unknown[] {
  const v = o[key];
  if (Array.isArray(v)) return v;
  throw new PretextError(`${where}: "${key}" must be an array`);
}

/** A single char (one code point), as HF requires for replacement / delimiter fields. */
export function getChar(o: Json, key: string, where: string, dflt?: string): string {
  const s = getStr(o, key, where, dflt);
  if ([...s].length !== 1) throw new PretextError(`${where}: "${key}" must be a single character`);
  return s;
}

/** A deep copy of JSON data. */
export function cloneJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
