/**
 * Tag files: YAML or JSON (JSON is read as YAML 1.2's JSON schema, so both
 * get line numbers in errors). The top level maps tag names to either a list
 * of phrases or a definition:
 *
 *   price-sensitive: [cheap, value for money, 性价比高]
 *   complaint-prone:
 *     kind: sentiment            # interest | sentiment | intent | activity | trait (default)
 *     polarity: negative         # sentiment tags: positive | negative
 *     description: writes critical reviews
 *     phrases: [it broke, returned it, 质量差]
 *     behaviour: [low-ratings, {signal: -rating-mean, weight: 0.5}]
 *     text-weight: 1             # weight of the text evidence beside the hooks (default 1)
 *     threshold: 2.5             # score from which a user has the tag (default 2, see score.ts)
 *
 * A bad file stops with `file:line: field "tag.key": reason` (InputError).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Scalar } from 'yaml';
import { ExitCode, GraphprofError, InputError } from '../util/errors.js';
import { checkTag, makeTag, parseHook, TAG_KINDS, type BehaviourHook, type TagDefinition, type TagKind, type TagPolarity } from './definition.js';

const DEFINITION_KEYS = ['kind', 'polarity', 'description', 'phrases', 'behaviour', 'behavior', 'text-weight', 'threshold'] as const;

class Located {
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}
  lineOf(node: Node | null | undefined): number {
    const offset = node?.range?.[0];
    return offset === undefined ? 1 : this.lines.linePos(offset).line;
  }
  fail(node: Node | null | undefined, field: string, reason: string): never {
    throw new InputError(this.file, this.lineOf(node), field, reason);
  }
}

function scalarText(loc: Located, node: unknown, field: string): string {
  if (!isScalar(node)) loc.fail(node as Node, field, 'expected a text value');
  const v = (node as Scalar).value;
  if (typeof v !== 'string') loc.fail(node as Scalar, field, `${JSON.stringify(v)} is not text; put it in quotes`);
  return v as string;
}

function scalarNumber(loc: Located, node: unknown, field: string): number {
  if (!isScalar(node) || typeof (node as Scalar).value !== 'number') loc.fail(node as Node, field, `expected a number, found ${describe(node)}`);
  return (node as Scalar).value as number;
}

function describe(node: unknown): string {
  if (isScalar(node)) return JSON.stringify(node.value);
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  return 'nothing';
}

function phraseList(loc: Located, node: unknown, field: string): string[] {
  if (isScalar(node) && typeof node.value === 'string') return [node.value];
  if (!isSeq(node)) loc.fail(node as Node, field, `expected a list of phrases, found ${describe(node)}`);
  return node.items.map((item, i) => scalarText(loc, item, `${field}[${i}]`).trim());
}

function hookOf(loc: Located, node: unknown, field: string): BehaviourHook {
  if (isScalar(node)) return parseHook(scalarText(loc, node, field).trim());
  if (!isMap(node)) loc.fail(node as Node, field, `expected a signal name or {signal, weight}, found ${describe(node)}`);
  let signal: string | undefined;
  let weight = 1;
  for (const pair of node.items) {
    const key = scalarText(loc, pair.key, field);
    if (key === 'signal') signal = scalarText(loc, pair.value, `${field}.signal`).trim();
    else if (key === 'weight') weight = scalarNumber(loc, pair.value, `${field}.weight`);
    else loc.fail(pair.key as Node, `${field}.${key}`, 'unknown key; a hook has "signal" and "weight"');
  }
  if (signal === undefined) loc.fail(node, `${field}.signal`, 'missing');
  return parseHook(signal as string, weight);
}

function hookList(loc: Located, node: unknown, field: string): BehaviourHook[] {
  if (isSeq(node)) return node.items.map((item, i) => hookOf(loc, item, `${field}[${i}]`));
  return [hookOf(loc, node, `${field}[0]`)];
}

function definitionOf(loc: Located, name: string, node: unknown): TagDefinition {
  if (isSeq(node) || (isScalar(node) && typeof node.value === 'string')) return makeTag(name, { phrases: phraseList(loc, node, `${name}.phrases`) });
  if (!isMap(node)) loc.fail(node as Node, name, `expected a list of phrases or a definition, found ${describe(node)}`);
  const fields: Parameters<typeof makeTag>[1] = {};
  for (const pair of node.items) {
    const key = scalarText(loc, pair.key, name);
    const field = `${name}.${key}`;
    const value = pair.value;
    switch (key as (typeof DEFINITION_KEYS)[number]) {
      case 'kind': {
        const kind = scalarText(loc, value, field);
        if (!(TAG_KINDS as readonly string[]).includes(kind)) loc.fail(value as Node, field, `${JSON.stringify(kind)} is not one of ${TAG_KINDS.join(', ')}`);
        fields.kind = kind as TagKind;
        break;
      }
      case 'polarity': {
        const p = scalarText(loc, value, field);
        if (p !== 'positive' && p !== 'negative') loc.fail(value as Node, field, `${JSON.stringify(p)} is not "positive" or "negative"`);
        fields.polarity = p as TagPolarity;
        break;
      }
      case 'description':
        fields.description = scalarText(loc, value, field);
        break;
      case 'phrases':
        fields.phrases = phraseList(loc, value, field);
        break;
      case 'behaviour':
      case 'behavior':
        fields.behaviour = hookList(loc, value, `${name}.behaviour`);
        break;
      case 'text-weight':
        fields.textWeight = scalarNumber(loc, value, field);
        break;
      case 'threshold':
        fields.threshold = scalarNumber(loc, value, field);
        break;
      default:
        loc.fail(pair.key as Node, field, `unknown key; a tag definition has ${DEFINITION_KEYS.filter((k) => k !== 'behavior').join(', ')}`);
    }
  }
  return makeTag(name, fields);
}

/** The node a checkTag field path ("tag.phrases[2]", "tag.behaviour[0].weight") points at, for its line. */
function nodeAt(def: Node | null, name: string, field: string): Node | null {
  if (!field.startsWith(`${name}.`)) return def;
  let node: unknown = def;
  for (const part of field.slice(name.length + 1).match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (part.startsWith('[')) {
      const i = Number(part.slice(1, -1));
      if (isSeq(node)) node = node.items[i] ?? node;
    } else if (isMap(node)) {
      const key = part === 'behaviour' && !node.has('behaviour') ? 'behavior' : part;
      node = node.get(key, true) ?? node;
    }
  }
  return (node as Node | null) ?? def;
}

/** A key given twice in any mapping is an error at its second place (YAML parsers would keep the last silently). */
function checkDuplicateKeys(loc: Located, node: unknown, field: string): void {
  if (isSeq(node)) node.items.forEach((item, i) => checkDuplicateKeys(loc, item, `${field}[${i}]`));
  if (!isMap(node)) return;
  const first = new Map<string, number>();
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const at = field ? `${field}.${key}` : key;
    const line = loc.lineOf(pair.key as Node);
    const seen = first.get(key);
    if (seen !== undefined) loc.fail(pair.key as Node, at, `given twice (first on line ${seen})`);
    first.set(key, line);
    checkDuplicateKeys(loc, pair.value, at);
  }
}

/**
 * Tags from the text of a tag file; `file` names it in errors. `.json` files
 * are held to JSON (quoted strings), anything else is YAML.
 */
export function parseTagFile(text: string, file: string): TagDefinition[] {
  const lines = new LineCounter();
  const json = path.extname(file).toLowerCase() === '.json';
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, ...(json ? { schema: 'json' as const } : {}) });
  const loc: Located = new Located(file, lines);
  const err = doc.errors[0];
  if (err) throw new InputError(file, err.linePos?.[0].line ?? 1, '(syntax)', err.message.split('\n')[0]!);
  const root = doc.contents;
  checkDuplicateKeys(loc, root, '');
  if (!isMap(root)) loc.fail(root, '(top level)', `expected a mapping of tag names to phrases or definitions, found ${describe(root)}`);
  if (root.items.length === 0) loc.fail(root, '(top level)', 'no tags defined');
  const tags: TagDefinition[] = [];
  for (const pair of root.items) {
    const keyNode = pair.key;
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) loc.fail(keyNode as Node, '(tag name)', 'a tag name must be text');
    const name = String((keyNode as Scalar).value).trim();
    const tag = definitionOf(loc, name, pair.value);
    const problem = checkTag(tag);
    if (problem) loc.fail(nodeAt(pair.value as Node, name, problem.field) ?? (keyNode as Node), problem.field, problem.reason);
    tags.push(tag);
  }
  return tags;
}

/** Reads and validates a tag file (YAML or JSON). */
export async function readTagFile(file: string): Promise<TagDefinition[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new GraphprofError(`readTagFile: cannot read ${file}: ${(e as Error).message}`, ExitCode.usage);
  }
  return parseTagFile(text, file);
}
