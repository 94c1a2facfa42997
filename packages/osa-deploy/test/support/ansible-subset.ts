import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** What Ansible 2.1 understands, as dumped from its source by scripts/ansible-subset/dump-ansible-2.1.py. */
export interface AnsibleSubset {
  source: string;
  playKeywords: string[];
  blockKeywords: string[];
  taskKeywords: string[];
  /** module -> option -> allowed values (null: any) */
  modules: Record<string, Record<string, string[] | null>>;
  filters: string[];
  tests: string[];
  lookups: string[];
}

export function loadSubset(file: string): AnsibleSubset {
  return JSON.parse(readFileSync(file, 'utf8')) as AnsibleSubset;
}

/** Task keys whose value is a bare Jinja expression, not a template. */
const EXPRESSION_KEYS = new Set(['when', 'failed_when', 'changed_when', 'until']);
const BLOCK_SECTIONS = ['block', 'rescue', 'always'];
const TASK_LISTS = ['tasks', 'pre_tasks', 'post_tasks', 'handlers'];

/** Every construct in a playbook's text that Ansible 2.1 would not understand, one line each. */
export function subsetViolations(text: string, subset: AnsibleSubset): string[] {
  const out: string[] = [];
  const plays: unknown = parse(text);
  if (!Array.isArray(plays)) return ['the playbook is not a list of plays'];
  for (const play of plays as Record<string, unknown>[]) {
    const where = `play "${String(play.name ?? '?')}"`;
    for (const key of Object.keys(play)) {
      if (!subset.playKeywords.includes(key)) out.push(`${where}: play keyword "${key}"`);
    }
    checkExpressions(play.hosts, false, where, subset, out);
    checkExpressions(play.vars, false, where, subset, out);
    for (const list of TASK_LISTS) {
      for (const task of (play[list] as Record<string, unknown>[] | undefined) ?? [])
        checkTask(task, where, subset, out);
    }
  }
  return out;
}

function checkTask(task: Record<string, unknown>, play: string, subset: AnsibleSubset, out: string[]): void {
  const where = `${play}, task "${String(task.name ?? '?')}"`;
  if (BLOCK_SECTIONS.some((section) => section in task)) {
    for (const key of Object.keys(task)) {
      if (!BLOCK_SECTIONS.includes(key) && !subset.blockKeywords.includes(key))
        out.push(`${where}: block keyword "${key}"`);
    }
    for (const section of BLOCK_SECTIONS) {
      for (const inner of (task[section] as Record<string, unknown>[] | undefined) ?? [])
        checkTask(inner, play, subset, out);
    }
    return;
  }
  for (const [key, value] of Object.entries(task)) {
    if (key.startsWith('with_')) {
      const lookup = key.slice('with_'.length);
      if (!subset.lookups.includes(lookup)) out.push(`${where}: loop "${key}" (no lookup "${lookup}")`);
      checkExpressions(value, false, where, subset, out);
    } else if (subset.taskKeywords.includes(key)) {
      checkExpressions(value, EXPRESSION_KEYS.has(key), where, subset, out);
    } else {
      checkModule(key, value, where, subset, out);
    }
  }
}

function checkModule(module: string, args: unknown, where: string, subset: AnsibleSubset, out: string[]): void {
  const options = subset.modules[module];
  if (options === undefined) {
    out.push(`${where}: module or keyword "${module}"`);
    return;
  }
  if (typeof args === 'string') {
    checkExpressions(args, false, where, subset, out);
    return;
  }
  for (const [option, value] of Object.entries((args ?? {}) as Record<string, unknown>)) {
    // set_fact's keys are the facts it sets: any name; their values are still checked.
    if (module === 'set_fact') {
      checkExpressions(value, false, where, subset, out);
      continue;
    }
    const allowed = options[option];
    if (allowed === undefined) {
      out.push(`${where}: option "${option}" of module "${module}"`);
    } else if (allowed !== null && !isTemplate(value) && !allowsValue(allowed, value)) {
      out.push(
        `${where}: value "${String(value)}" of ${module}'s option "${option}" (2.1 allows ${allowed.join(', ')})`,
      );
    }
    checkExpressions(value, module === 'assert' && option === 'that', where, subset, out);
  }
}

function allowsValue(allowed: string[], value: unknown): boolean {
  // lineinfile's insertafter/insertbefore document "*regex*" as a choice: any regular expression.
  if (allowed.includes('*regex*')) return true;
  if (typeof value === 'boolean') return allowed.some((choice) => ['yes', 'no', 'true', 'false'].includes(choice));
  return allowed.includes(String(value).toLowerCase());
}

function isTemplate(value: unknown): boolean {
  return typeof value === 'string' && /\{[{%]/.test(value);
}

/** Walks a value; `bare` marks strings that are whole Jinja expressions (when:, that:). */
function checkExpressions(value: unknown, bare: boolean, where: string, subset: AnsibleSubset, out: string[]): void {
  if (typeof value === 'string') {
    for (const expression of bare ? [value] : templateParts(value)) checkExpression(expression, where, subset, out);
  } else if (Array.isArray(value)) {
    for (const item of value) checkExpressions(item, bare, where, subset, out);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) checkExpressions(item, bare, where, subset, out);
  }
}

function templateParts(text: string): string[] {
  return [...text.matchAll(/\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g)].map((match) => match[1] ?? match[2] ?? '');
}

const STRING_LITERAL = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

function checkExpression(expression: string, where: string, subset: AnsibleSubset, out: string[]): void {
  const named = (pattern: RegExp, source = expression) => [...source.matchAll(pattern)].map((match) => match[1] ?? '');
  const report = (kind: string, names: string[], allowed: string[]) => {
    for (const name of names) if (!allowed.includes(name)) out.push(`${where}: ${kind} "${name}"`);
  };
  report('filter', named(/\bmap\(\s*['"]([\w.]+)['"]/g), subset.filters);
  report('test', named(/\b(?:select|reject)\(\s*['"]([\w.]+)['"]/g), subset.tests);
  report('test', named(/\b(?:selectattr|rejectattr)\(\s*['"][^'"]*['"]\s*,\s*['"]([\w.]+)['"]/g), subset.tests);
  report('lookup', named(/\blookup\(\s*['"]([\w.]+)['"]/g), subset.lookups);
  if (/\b(?:query|q)\(/.test(expression)) out.push(`${where}: query() (Ansible 2.5)`);
  const code = expression.replace(STRING_LITERAL, "''");
  report('filter', named(/\|\s*([\w.]+)/g, code), subset.filters);
  report('test', named(/\bis\s+(?:not\s+)?([\w.]+)/g, code), subset.tests);
}
