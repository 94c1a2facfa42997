import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const CODE = /^LEAP_[A-Z0-9_]*[A-Z0-9]$/;

/** Every `.ts` file under `dir`, recursively. */
function typeScriptFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** A literal compared against (`code === 'LEAP_X'`, `case 'LEAP_X':`) checks another error's code; it throws nothing. */
function isComparedAgainst(literal: ts.Node): boolean {
  const parent = literal.parent;
  if (ts.isCaseClause(parent)) return true;
  if (!ts.isBinaryExpression(parent)) return false;
  const kind = parent.operatorToken.kind;
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken;
}

/**
 * The error codes the sources under `srcDir` throw: every string literal that is a whole `LEAP_…` code, wherever
 * it stands (an error's first argument, a variable, a table), except in types and comparisons. Comments, prefixes
 * such as `startsWith('LEAP_LOCK_')` and names such as `LEAP_RUN_ID` are not codes.
 */
export function errorCodesThrownIn(srcDir: string): Set<string> {
  const codes = new Set<string>();
  for (const file of typeScriptFilesIn(srcDir)) {
    const visit = (node: ts.Node): void => {
      if (ts.isLiteralTypeNode(node)) return;
      if (
        (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
        CODE.test(node.text) &&
        !isComparedAgainst(node)
      ) {
        codes.add(node.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(parse(file));
  }
  return codes;
}

/** The members of the string-literal union `typeName` declared in `file` (e.g. `InventoryErrorCode` in errors.ts). */
export function errorCodesOfUnion(file: string, typeName: string): Set<string> {
  const alias = parse(file).statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === typeName,
  );
  if (alias === undefined) throw new Error(`${file} declares no type ${typeName}`);
  const members = ts.isUnionTypeNode(alias.type) ? alias.type.types : [alias.type];
  return new Set(
    members.map((member) => {
      if (!ts.isLiteralTypeNode(member) || !ts.isStringLiteral(member.literal))
        throw new Error(`${typeName} in ${file} has a member that is not a string literal: ${member.getText()}`);
      return member.literal.text;
    }),
  );
}

/** The codes in the first column of the README's tables: rows that start with `` | `LEAP_…` | ``. */
export function errorCodesInReadme(readmePath: string): Set<string> {
  const rows = readFileSync(readmePath, 'utf8').matchAll(/^\|\s*`(LEAP_[A-Z0-9_]+)`\s*\|/gm);
  return new Set([...rows].map((row) => row[1]!));
}
