/**
 * A parsed `$filter` (src/nuget/odataFilter.ts) as a SQL condition over `v` (package_versions)
 * and `s` (search_packages). Values only ever arrive as bound parameters; the SQL text is built
 * from the tree's fixed names. OData compares strings by ordinal, so plain `=` and instr()
 * (binary in SQLite) are right; tolower() is SQL lower(), which for ids equals lower_id.
 */
import type { FlagField, ODataFilter, TextField } from '../nuget/odataFilter';
import { lowerVersion, parseVersion } from '../nuget/version';

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/** NormalizedVersion is the full version without its metadata. */
const NORMALIZED =
  "CASE WHEN instr(v.version, '+') > 0 THEN substr(v.version, 1, instr(v.version, '+') - 1) ELSE v.version END";

const columns: Record<TextField, string> = {
  Id: 'v.id',
  Version: 'v.version',
  NormalizedVersion: NORMALIZED,
  Title: 'v.title',
  Description: 'v.description',
  Tags: 'v.tags',
  Authors: 'v.authors',
};

/** `level`: the search_packages columns of the request's SemVer level (semver1 or semver2). */
function flag(field: FlagField, level: string): string {
  // IS, not =: an id with no listed stable version has a NULL latest, and `not` must still hold.
  if (field === 'IsLatestVersion') return `(v.lower_version IS s.latest_stable_${level})`;
  if (field === 'IsAbsoluteLatestVersion') return `(v.lower_version IS s.latest_prerelease_${level})`;
  return '(v.is_prerelease = 1)';
}

type TextNode = Extract<ODataFilter, { kind: 'text' }>;

function text(node: TextNode): SqlCondition {
  const { field, lower, match, value } = node;
  // A version compared with eq/ne is compared as a version: '1.0' names 1.0.0, as NuGet reads it.
  const version = (field === 'Version' || field === 'NormalizedVersion') && !lower ? parseVersion(value) : null;
  if (version && (match === 'eq' || match === 'ne')) {
    return { sql: `(v.lower_version ${match === 'eq' ? '=' : '<>'} ?)`, params: [lowerVersion(version)] };
  }
  const column = field === 'Id' && lower ? 'v.lower_id' : lower ? `lower(${columns[field]})` : columns[field];
  switch (match) {
    case 'eq':
      return { sql: `(${column} = ?)`, params: [value] };
    case 'ne':
      return { sql: `(${column} <> ?)`, params: [value] };
    case 'startswith':
      return { sql: `(instr(${column}, ?) = 1)`, params: [value] };
    case 'endswith':
      return value === ''
        ? { sql: '(1)', params: [] }
        : { sql: `(substr(${column}, -length(?)) = ?)`, params: [value, value] };
    case 'contains':
      // NuGet.Protocol looks for a whole tag as substringof(' tag ', tolower(Tags)), against
      // nuget.org's space-padded Tags column: the padding makes a first or last tag match too.
      return field === 'Tags'
        ? { sql: `(instr(' ' || ${column} || ' ', ?) > 0)`, params: [value] }
        : { sql: `(instr(${column}, ?) > 0)`, params: [value] };
  }
}

export function filterSql(node: ODataFilter, level: string): SqlCondition {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const [left, right] = [filterSql(node.left, level), filterSql(node.right, level)];
      return {
        sql: `(${left.sql} ${node.kind.toUpperCase()} ${right.sql})`,
        params: [...left.params, ...right.params],
      };
    }
    case 'not': {
      const operand = filterSql(node.operand, level);
      return { sql: `(NOT ${operand.sql})`, params: operand.params };
    }
    case 'flag':
      return { sql: flag(node.field, level), params: [] };
    case 'present':
      // Optional texts are stored as '' when absent; that is the feed's null.
      return { sql: `(${columns[node.field]} ${node.present ? '<>' : '='} '')`, params: [] };
    case 'text':
      return text(node);
  }
}
