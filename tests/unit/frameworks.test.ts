import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearest } from '../../src/diagnostics/did-you-mean.js';
import { parseCompetency, resolveCompetency } from '../../src/frameworks/competency-code.js';
import { competenceIri, competencesOf } from '../../src/frameworks/framework.js';
import { loadFrameworkFile, loadFrameworks } from '../../src/frameworks/load.js';

const { frameworks, diagnostics } = loadFrameworks(undefined, process.cwd());

describe('bundled frameworks', () => {
  it('all load and pass the framework schema', () => {
    expect(diagnostics).toEqual([]);
    expect([...frameworks.keys()].sort()).toEqual(['digcomp22', 'qd757', 'tt02', 'unesco-dlgf']);
  });

  it('Circular 02/2025 has 6 areas, 24 competences (3+6+4+4+4+3) and 8 levels', () => {
    const tt02 = frameworks.get('tt02')!;
    expect(tt02.areas.map((a) => a.competences.length)).toEqual([3, 6, 4, 4, 4, 3]);
    expect(competencesOf(tt02)).toHaveLength(24);
    expect(tt02.levels.map((l) => l.level)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('every competence has a Vietnamese and an English title and a stable IRI', () => {
    for (const framework of frameworks.values()) {
      for (const c of competencesOf(framework)) {
        expect(c.title.vi.length).toBeGreaterThan(0);
        expect(c.title.en.length).toBeGreaterThan(0);
        expect(competenceIri(framework, c.code)).toMatch(/^https:\/\/w3id\.org\/hocso\/frameworks\/[a-z0-9.-]+\/[0-9A-Za-z.]+$/);
      }
    }
  });
});

describe('competency codes', () => {
  it('parses the short and the long form', () => {
    expect(parseCompetency('tt02:4.2@3')).toEqual({ framework: 'tt02', code: '4.2', level: '3', written: 'tt02:4.2@3' });
    expect(parseCompetency({ code: 'tt02:4.2', level: 3 })).toMatchObject({ framework: 'tt02', code: '4.2', level: '3' });
    expect(parseCompetency('4.2')).toBeUndefined();
  });

  it('accepts a known code and level', () => {
    expect(resolveCompetency(parseCompetency('tt02:4.2@2')!, frameworks)).toMatchObject({ ok: true, level: 2 });
  });

  it('suggests the nearest codes for an unknown one', () => {
    const verdict = resolveCompetency(parseCompetency('tt02:4.7')!, frameworks);
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ problem: 'unknown-code' });
    expect((verdict as { suggestions: string[] }).suggestions[0]).toMatch(/^tt02:4\.\d$/);
  });

  it('rejects a level outside the framework', () => {
    expect(resolveCompetency(parseCompetency('tt02:4.2@9')!, frameworks)).toMatchObject({ ok: false, problem: 'level-out-of-range', min: 1, max: 8 });
  });

  it('suggests a framework id for a misspelt prefix', () => {
    expect(resolveCompetency(parseCompetency('tt20:4.2')!, frameworks)).toMatchObject({ ok: false, problem: 'unknown-framework', suggestions: ['tt02'] });
    expect(nearest('zzzzzz', ['tt02', 'qd757'])).toEqual([]);
  });
});

describe('framework files', () => {
  it('report schema problems at the YAML line, and duplicate codes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hocso-fw-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, [
      'id: bad',
      'title: { vi: "Khung", en: "Frame" }',
      'publisher: { vi: "A", en: "A" }',
      'version: "1"',
      'source: { document: "doc" }',
      'iriBase: "https://example.org/fw"',
      'levels: [{ level: 1, tier: { vi: "a", en: "a" } }]',
      'areas:',
      '  - code: "1"',
      '    title: { vi: "x", en: "x" }',
      '    competences:',
      '      - { code: "1.1", title: { vi: "x", en: "x" } }',
      '      - { code: "1.1", title: { vi: "y", en: "y" } }',
      '',
    ].join('\n'));
    const loaded = loadFrameworkFile(file, 'bad.yaml');
    expect(loaded.diagnostics).toMatchObject([{ ruleId: 'framework/duplicate-code', line: 13 }]);

    writeFileSync(file, 'id: bad\ntitle: { vi: "Khung" }\n');
    const broken = loadFrameworkFile(file, 'bad.yaml');
    expect(broken.framework).toBeUndefined();
    expect(broken.diagnostics.map((d) => d.ruleId)).toContain('framework/schema');
    expect(broken.diagnostics.find((d) => d.message.includes('`en`'))?.line).toBe(2);
  });
});
