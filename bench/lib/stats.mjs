// Shared by the benchmarks: median/min/max of samples, ratios and Markdown tables.

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

/** "2.10×": how many times `a` is `b` (a over b). */
export function ratio(a, b) {
  return `${(a / b).toFixed(2)}×`;
}

export function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
