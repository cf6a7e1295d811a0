import stringWidth from 'string-width';
import { uncovered, type Coverage } from './coverage.js';

export const COVERAGE_FORMATS = ['table', 'json', 'csv', 'html'] as const;
export type CoverageFormat = (typeof COVERAGE_FORMATS)[number];

const mark = (cell: string | null): string => (cell === null ? '' : cell === '' ? '✓' : `L${cell}`);

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (stringWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return out + '…';
}

/** Terminal table: one row per competence, one numbered column per lesson (legend below), then what nobody covers. */
export function coverageTable(coverage: Coverage): string {
  const codeWidth = Math.max(4, ...coverage.rows.map((r) => stringWidth(`${r.framework}:${r.code}`)));
  const titleWidth = 44;
  const columns = coverage.lessons.map((_, i) => String(i + 1));
  const cellWidth = Math.max(3, ...columns.map((c) => c.length));
  const lines = [`${pad('code', codeWidth)}  ${pad('competence', titleWidth)}  ${columns.map((c) => pad(c, cellWidth)).join(' ')}  lessons`];
  for (const row of coverage.rows) {
    const count = row.cells.filter((c) => c !== null).length;
    lines.push(`${pad(`${row.framework}:${row.code}`, codeWidth)}  ${pad(truncate(row.title.vi, titleWidth), titleWidth)}  ${row.cells.map((c) => pad(mark(c), cellWidth)).join(' ')}  ${count}`);
  }
  lines.push('', 'Lessons:');
  coverage.lessons.forEach((l, i) => lines.push(`  ${pad(String(i + 1), cellWidth)} ${l.course}/${l.lesson}  ${l.title}`));
  lines.push('', '✓ covered, Ln covered at level n');
  const missing = uncovered(coverage);
  lines.push('', missing.length ? `Not covered by any lesson (${missing.length} of ${coverage.rows.length}):` : `Every competence (${coverage.rows.length}) is covered.`);
  for (const row of missing) lines.push(`  ${row.framework}:${row.code}  ${row.title.vi}`);
  return lines.join('\n') + '\n';
}

export function coverageJson(coverage: Coverage): string {
  return JSON.stringify({
    lessons: coverage.lessons,
    competences: coverage.rows.map((r) => ({
      framework: r.framework,
      code: r.code,
      title: r.title,
      lessons: r.cells.flatMap((c, i) => (c === null ? [] : [{ ...coverage.lessons[i]!, ...(c ? { level: Number(c) } : {}) }])).map(({ course, lesson, level }) => ({ course, lesson, ...(level !== undefined ? { level } : {}) })),
    })),
    uncovered: uncovered(coverage).map((r) => `${r.framework}:${r.code}`),
  }, null, 2) + '\n';
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per competence; lesson columns hold the level, `x` for any level, empty when not covered. */
export function coverageCsv(coverage: Coverage): string {
  const header = ['framework', 'code', 'title_vi', 'title_en', ...coverage.lessons.map((l) => `${l.course}/${l.lesson}`), 'lessons'];
  const rows = coverage.rows.map((r) => [r.framework, r.code, r.title.vi, r.title.en, ...r.cells.map((c) => (c === null ? '' : c === '' ? 'x' : c)), String(r.cells.filter((c) => c !== null).length)]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A standalone page for curriculum teams: the matrix with headers a screen reader can follow. */
export function coverageHtml(coverage: Coverage): string {
  const head = coverage.lessons.map((l) => `<th scope="col" title="${escapeHtml(`${l.course}/${l.lesson}`)}">${escapeHtml(l.title)}</th>`).join('');
  const body = coverage.rows.map((r) => {
    const cells = r.cells.map((c) => `<td${c === null ? ' class="none"' : ''}>${escapeHtml(mark(c))}</td>`).join('');
    const empty = r.cells.every((c) => c === null) ? ' class="uncovered"' : '';
    return `<tr${empty}><th scope="row"><code>${escapeHtml(`${r.framework}:${r.code}`)}</code> ${escapeHtml(r.title.vi)}</th>${cells}</tr>`;
  }).join('\n');
  const missing = uncovered(coverage).map((r) => `<li><code>${escapeHtml(`${r.framework}:${r.code}`)}</code> ${escapeHtml(r.title.vi)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Competency coverage</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}th,td{border:1px solid #888;padding:.25rem .5rem}td{text-align:center}tr.uncovered th{background:#fde8e8}thead th{writing-mode:vertical-rl;transform:rotate(180deg);max-height:16rem}</style></head>
<body>
<h1>Competency coverage</h1>
<table>
<thead><tr><th scope="col">Competence</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<h2>Not covered by any lesson</h2>
<ul>${missing}</ul>
</body>
</html>
`;
}

export function formatCoverage(coverage: Coverage, format: CoverageFormat): string {
  switch (format) {
    case 'json':
      return coverageJson(coverage);
    case 'csv':
      return coverageCsv(coverage);
    case 'html':
      return coverageHtml(coverage);
    default:
      return coverageTable(coverage);
  }
}
