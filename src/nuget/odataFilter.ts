/**
 * The `$filter` subset of OData v2 that NuGet V2 clients send (NuGet.Protocol's Packages()
 * fallback, Chocolatey, nuget.exe 2.x): flags (`IsLatestVersion`), text comparisons on a property
 * or its `tolower()`, `substringof`/`startswith`/`endswith`, `(X ne null)`, joined by
 * `and`/`or`/`not` with parentheses. A small recursive-descent parser: anything else is a
 * failure naming what is not supported, never a guess. The store turns the tree into SQL.
 */
import { fail, type Failure, isFailure } from '../problems';

/** String properties a filter may compare (the V2 entity's names). */
export const TEXT_FIELDS = ['Id', 'Version', 'NormalizedVersion', 'Title', 'Description', 'Tags', 'Authors'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export const FLAG_FIELDS = ['IsLatestVersion', 'IsAbsoluteLatestVersion', 'IsPrerelease'] as const;
export type FlagField = (typeof FLAG_FIELDS)[number];

export type TextMatch = 'eq' | 'ne' | 'contains' | 'startswith' | 'endswith';

export type ODataFilter =
  | { kind: 'and' | 'or'; left: ODataFilter; right: ODataFilter }
  | { kind: 'not'; operand: ODataFilter }
  | { kind: 'flag'; field: FlagField }
  | { kind: 'present'; field: TextField; present: boolean }
  | { kind: 'text'; match: TextMatch; field: TextField; lower: boolean; value: string };

/** Bounds the SQL a filter becomes: each comparison binds at most two values (D1 binds at most 100). */
export const MAX_FILTER_LENGTH = 2000;
const MAX_COMPARISONS = 30;

type Token =
  | { type: 'punct'; text: '(' | ')' | ',' }
  | { type: 'string'; text: string }
  | { type: 'word'; text: string };

/** A quoted OData string literal at `start`: `'` … `'`, a quote inside doubled. */
export function readStringLiteral(text: string, start: number): { value: string; end: number } | null {
  if (text[start] !== "'") return null;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== "'") {
      value += text[i];
    } else if (text[i + 1] === "'") {
      value += "'";
      i++;
    } else {
      return { value, end: i + 1 };
    }
  }
  return null;
}

function tokenize(text: string): Token[] | Failure {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c });
      i++;
    } else if (c === "'") {
      const literal = readStringLiteral(text, i);
      if (literal === null) return unsupported('a string literal is not closed');
      tokens.push({ type: 'string', text: literal.value });
      i = literal.end;
    } else {
      const word = /^[A-Za-z0-9_][A-Za-z0-9_.]*/.exec(text.slice(i))?.[0];
      if (word === undefined) return unsupported(`'${text.slice(i, i + 20)}' is not part of the supported syntax`);
      tokens.push({ type: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}

function unsupported(reason: string): Failure {
  return fail(
    'badRequest',
    `This $filter is not supported: ${reason}. Supported: IsLatestVersion, IsAbsoluteLatestVersion, IsPrerelease (optionally eq true/false); Id, Version, NormalizedVersion, Title, Description, Tags, Authors or tolower() of one, compared with eq/ne to a string or null; substringof('text', field), startswith(field, 'text'), endswith(field, 'text'); and, or, not, parentheses.`,
  );
}

const oneOf = <T extends string>(names: readonly T[], word: string): T | undefined =>
  names.find((name) => name.toLowerCase() === word.toLowerCase());

/** An operand: a text property (or tolower() of one), a flag, a string, or null/true/false. */
type Operand =
  | { field: TextField; lower: boolean }
  | { flag: FlagField }
  | { literal: string }
  | { keyword: 'null' | 'true' | 'false' };

class Parser {
  private at = 0;
  private comparisons = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): ODataFilter | Failure {
    const tree = this.or();
    if (isFailure(tree)) return tree;
    return this.at < this.tokens.length ? unsupported(`unexpected '${this.tokens[this.at]?.text}'`) : tree;
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.at];
    return token?.type === 'word' && token.text.toLowerCase() === word;
  }

  private expect(text: '(' | ')' | ','): Failure | null {
    const token = this.tokens[this.at++];
    return token?.type === 'punct' && token.text === text ? null : unsupported(`'${text}' expected`);
  }

  private or(): ODataFilter | Failure {
    let left = this.and();
    while (!isFailure(left) && this.peekWord('or')) {
      this.at++;
      const right = this.and();
      left = isFailure(right) ? right : { kind: 'or', left, right };
    }
    return left;
  }

  private and(): ODataFilter | Failure {
    let left = this.unary();
    while (!isFailure(left) && this.peekWord('and')) {
      this.at++;
      const right = this.unary();
      left = isFailure(right) ? right : { kind: 'and', left, right };
    }
    return left;
  }

  private unary(): ODataFilter | Failure {
    if (!this.peekWord('not')) return this.comparison();
    this.at++;
    const operand = this.unary();
    return isFailure(operand) ? operand : { kind: 'not', operand };
  }

  /** A boolean primary, then maybe `eq`/`ne` and a second operand. */
  private comparison(): ODataFilter | Failure {
    const token = this.tokens[this.at];
    if (token?.type === 'punct' && token.text === '(') {
      this.at++;
      const inner = this.or();
      const closed = isFailure(inner) ? null : this.expect(')');
      return closed ?? this.compareBoolean(inner);
    }
    const fn = token?.type === 'word' ? oneOf(['substringof', 'startswith', 'endswith'], token.text) : undefined;
    if (fn) return this.compareBoolean(this.textFunction(fn));
    const left = this.operand();
    if (isFailure(left)) return left;
    if (!(this.peekWord('eq') || this.peekWord('ne'))) {
      return 'flag' in left
        ? { kind: 'flag', field: left.flag }
        : unsupported('a comparison or a boolean property was expected');
    }
    const negate = this.peekWord('ne');
    this.at++;
    const right = this.operand();
    return isFailure(right) ? right : this.compare(left, right, negate);
  }

  private compareBoolean(node: ODataFilter | Failure): ODataFilter | Failure {
    if (isFailure(node) || !(this.peekWord('eq') || this.peekWord('ne'))) return node;
    const negate = this.peekWord('ne');
    this.at++;
    const value = this.tokens[this.at++];
    const truth = value?.type === 'word' ? oneOf(['true', 'false'], value.text) : undefined;
    if (truth === undefined) return unsupported('a boolean can only be compared with true or false');
    return negate === (truth === 'true') ? { kind: 'not', operand: node } : node;
  }

  private textFunction(fn: 'substringof' | 'startswith' | 'endswith'): ODataFilter | Failure {
    this.at++;
    const open = this.expect('(');
    const first = open ?? this.operand();
    if (isFailure(first)) return first;
    const comma = this.expect(',');
    const second = comma ?? this.operand();
    if (isFailure(second)) return second;
    const closed = this.expect(')');
    if (closed) return closed;
    // substringof(needle, haystack); startswith(haystack, prefix); endswith(haystack, suffix).
    const [text, field] = fn === 'substringof' ? [first, second] : [second, first];
    if (!('literal' in text) || !('field' in field)) return unsupported(`${fn} takes a property and a string`);
    const match = fn === 'substringof' ? 'contains' : fn;
    return this.counted({ kind: 'text', match, field: field.field, lower: field.lower, value: text.literal });
  }

  private operand(): Operand | Failure {
    const token = this.tokens[this.at++];
    if (token?.type === 'string') return { literal: token.text };
    if (token?.type !== 'word') return unsupported('a property or a value was expected');
    const keyword = oneOf(['null', 'true', 'false'], token.text);
    if (keyword) return { keyword };
    if (oneOf(['tolower'], token.text)) {
      const open = this.expect('(');
      const inner = open ?? this.operand();
      if (isFailure(inner)) return inner;
      const closed = this.expect(')');
      if (closed) return closed;
      return 'field' in inner ? { field: inner.field, lower: true } : unsupported('tolower takes a property');
    }
    const field = oneOf(TEXT_FIELDS, token.text);
    if (field) return { field, lower: false };
    const flag = oneOf(FLAG_FIELDS, token.text);
    if (flag) return { flag };
    return unsupported(`the property or function '${token.text}' is not supported`);
  }

  private compare(left: Operand, right: Operand, negate: boolean): ODataFilter | Failure {
    const [side, value] = 'field' in left ? [left, right] : [right, left];
    if ('field' in side && 'literal' in value) {
      return this.counted({ kind: 'text', match: negate ? 'ne' : 'eq', ...side, value: value.literal });
    }
    if ('field' in side && 'keyword' in value && value.keyword === 'null' && !side.lower) {
      return { kind: 'present', field: side.field, present: negate };
    }
    const [flag, truth] = 'flag' in left ? [left, right] : [right, left];
    if ('flag' in flag && 'keyword' in truth && truth.keyword !== 'null') {
      const node: ODataFilter = { kind: 'flag', field: flag.flag };
      return negate === (truth.keyword === 'true') ? { kind: 'not', operand: node } : node;
    }
    return unsupported('only a property compared with a string (or null), or a flag with true/false');
  }

  private counted(node: ODataFilter): ODataFilter | Failure {
    return ++this.comparisons > MAX_COMPARISONS ? unsupported(`more than ${MAX_COMPARISONS} comparisons`) : node;
  }
}

/** `$filter`'s value (already URL-decoded) → its tree, or a 400 naming what is not supported. */
export function parseODataFilter(text: string): ODataFilter | Failure {
  if (text.length > MAX_FILTER_LENGTH) return unsupported(`it is longer than ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(text);
  if (isFailure(tokens)) return tokens;
  if (tokens.length === 0) return unsupported('it is empty');
  return new Parser(tokens).parse();
}
