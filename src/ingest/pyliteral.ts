/**
 * Parser for one Python literal (dict, list, tuple, str, int, float, True,
 * False, None). McAuley's 2014 Amazon metadata files are written with Python's
 * repr, not JSON (`{'asin': '0000031852', 'categories': [['Toys & Games']]}`),
 * and are meant to be read with eval; this reads them without evaluating code.
 */

export class PyLiteralError extends Error {}

export function parsePyLiteral(text: string): unknown {
  const p = new Parser(text);
  const value = p.value();
  p.skipSpace();
  if (p.pos !== text.length) p.fail('unexpected text after the value');
  return value;
}

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(why: string): never {
    throw new PyLiteralError(`${why} at character ${this.pos + 1}`);
  }

  skipSpace(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }

  value(): unknown {
    this.skipSpace();
    const c = this.s[this.pos];
    if (c === '{') return this.dict();
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === "'" || c === '"') return this.string();
    if (c === 'u' && (this.s[this.pos + 1] === "'" || this.s[this.pos + 1] === '"')) {
      this.pos++;
      return this.string();
    }
    return this.atom();
  }

  private dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.value();
      this.skipSpace();
      if (this.s[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      out[String(key)] = this.value();
      this.separator('}');
    }
  }

  private sequence(close: string): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.separator(close);
    }
  }

  private separator(close: string): void {
    this.skipSpace();
    if (this.s[this.pos] === ',') this.pos++;
    else if (this.s[this.pos] !== close) this.fail(`expected "," or "${close}"`);
  }

  private string(): string {
    const quote = this.s[this.pos++];
    let out = '';
    for (;;) {
      let j = this.pos;
      while (j < this.s.length && this.s[j] !== quote && this.s[j] !== '\\') j++;
      out += this.s.slice(this.pos, j);
      if (j >= this.s.length) this.fail('string not closed');
      this.pos = j + 1;
      if (this.s[j] === quote) return out;
      const e = this.s[this.pos++];
      if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.s.slice(this.pos, this.pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail(`bad \\${e} escape`);
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += len;
      } else if (e in escapes) {
        out += escapes[e];
      } else {
        out += '\\' + e; // Python keeps unknown escapes as written
      }
    }
  }

  private atom(): unknown {
    const m = /^(?:True|False|None|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(this.s.slice(this.pos, this.pos + 64));
    if (!m) this.fail('expected a value');
    this.pos += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0]);
  }
}
