import type { Command } from '@commander-js/extra-typings';
import { leapConfigJsonSchema } from './config-schema.js';

/**
 * The README's reference sections, generated so they cannot drift: every command with its options, and every
 * leap.yaml key with its type, default and meaning. A test compares them with README.md; `node
 * scripts/update-cli-readme.mjs` rewrites them.
 */

interface JsonNode {
  type?: string;
  enum?: string[];
  anyOf?: JsonNode[];
  items?: JsonNode;
  properties?: Record<string, JsonNode>;
  additionalProperties?: boolean | JsonNode;
  required?: string[];
  default?: unknown;
  description?: string;
  pattern?: string;
  minItems?: number;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(node: JsonNode): string {
  if (node.enum) return node.enum.map((v) => `\`${v}\``).join(' or ');
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.type === 'array') return `list of ${typeOf(node.items ?? {})}`;
  if (node.type === 'object' && node.properties === undefined)
    return typeof node.additionalProperties === 'object' ? `map of ${typeOf(node.additionalProperties)}` : 'map';
  return node.type ?? 'any';
}

/** Keys that all take the same value (migrationVenvs.kilo … .newton) are listed once, as `<name>`. */
function entriesOf(node: JsonNode): Array<[string, JsonNode, string]> {
  const entries = Object.entries(node.properties ?? {});
  const same = entries.length > 2 && entries.every(([, v]) => JSON.stringify(v) === JSON.stringify(entries[0]![1]));
  if (!same) return entries.map(([key, child]) => [key, child, '']);
  return [['<name>', entries[0]![1], `name: ${entries.map(([k]) => k).join(', ')}. `]];
}

function keyRows(node: JsonNode, prefix: string, rows: string[][]): void {
  for (const [key, child, names] of entriesOf(node)) {
    const path = `${prefix}${key}`;
    const required = node.required?.includes(key) ? ' (required)' : '';
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    rows.push([`\`${path}\``, cell(typeOf(child)) + required, cell(fallback), cell(names + (child.description ?? ''))]);
    if (child.type === 'object' && child.properties) keyRows(child, `${path}.`, rows);
    if (child.type === 'array' && child.items?.properties) keyRows(child.items, `${path}[].`, rows);
    const tarball = child.anyOf?.find((branch) => branch.properties);
    if (tarball) keyRows(tarball, `${path}.`, rows);
    const values = typeof child.additionalProperties === 'object' ? child.additionalProperties : undefined;
    if (values?.anyOf) keyRows(values.anyOf.find((b) => b.properties) ?? {}, `${path}.<name>.`, rows);
  }
}

/** Every leap.yaml key as a Markdown table, nested keys by their dotted path. */
export function configKeysMarkdown(): string {
  const rows: string[][] = [];
  keyRows(leapConfigJsonSchema() as JsonNode, '', rows);
  return ['| key | type | default | meaning |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
}

function optionText(option: { flags: string; description: string; defaultValue?: unknown }): string {
  const fallback =
    option.defaultValue === undefined || typeof option.defaultValue === 'boolean'
      ? ''
      : ` (default: ${JSON.stringify(option.defaultValue)})`;
  return `\`${option.flags}\`: ${option.description}${fallback}`;
}

/** Every command and subcommand with its arguments and options, as Markdown. */
export function commandsMarkdown(program: Command<unknown[], Record<string, unknown>>): string {
  const lines: string[] = [];
  const walk = (command: Command<unknown[], Record<string, unknown>>, path: string) => {
    for (const sub of command.commands as Array<Command<unknown[], Record<string, unknown>>>) {
      const name = `${path} ${sub.name()}`.trim();
      const args = sub.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
      if (sub.commands.length === 0 || sub.options.length > 0 || sub.registeredArguments.length > 0) {
        lines.push(`- \`leap ${name}${args ? ` ${args}` : ''}\`: ${sub.description()}`);
        for (const option of sub.options) lines.push(`  - ${optionText(option)}`);
      }
      walk(sub, name);
    }
  };
  walk(program, '');
  lines.push('', 'Every command takes the global options:');
  for (const option of program.options) lines.push(`- ${optionText(option)}`);
  return lines.join('\n');
}

/** `text` with the block between `<!-- generated: name -->` and `<!-- end generated: name -->` replaced. */
export function replaceGenerated(text: string, name: string, block: string): string {
  const start = `<!-- generated: ${name} (node scripts/update-cli-readme.mjs) -->`;
  const end = `<!-- end generated: ${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) throw new Error(`README.md has no "${start}" … "${end}" block`);
  return `${text.slice(0, from + start.length)}\n\n${block}\n\n${text.slice(to)}`;
}
