import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { BUNDLED_FRAMEWORKS_DIR, displayPath } from '../paths.js';
import { checkYaml } from '../schemas/checked-yaml.js';
import { readSourceText } from '../source/text-file.js';
import { LocatedYaml } from '../source/yaml-document.js';
import type { Area, Framework } from './framework.js';

export interface LoadedFrameworks {
  frameworks: Map<string, Framework>;
  diagnostics: Diagnostic[];
}

/**
 * Loads the frameworks hocso ships, then the project's own (a project file with the same id replaces the bundled one).
 * Every file is schema-checked; a broken file is reported and left out.
 */
export function loadFrameworks(projectDir: string | undefined, projectRoot: string): LoadedFrameworks {
  const frameworks = new Map<string, Framework>();
  const diagnostics: Diagnostic[] = [];
  const dirs = [BUNDLED_FRAMEWORKS_DIR];
  if (projectDir && existsSync(projectDir) && path.resolve(projectDir) !== path.resolve(BUNDLED_FRAMEWORKS_DIR)) dirs.push(projectDir);
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    for (const name of files) {
      const file = path.join(dir, name);
      const loaded = loadFrameworkFile(file, displayPath(file, projectRoot));
      diagnostics.push(...loaded.diagnostics);
      if (loaded.framework) frameworks.set(loaded.framework.id, loaded.framework);
    }
  }
  return { frameworks, diagnostics };
}

export function loadFrameworkFile(file: string, shown: string): { framework?: Framework; diagnostics: Diagnostic[] } {
  const yaml = new LocatedYaml(readSourceText(file));
  const problems = checkYaml(yaml, 'framework', shown, { syntax: 'framework/yaml-syntax', schema: 'framework/schema' });
  if (problems.length) return { diagnostics: problems };
  const data = yaml.data as Omit<Framework, 'file' | 'areas'> & { areas: (Omit<Area, 'competences'> & { competences: Omit<Area['competences'][number], 'area'>[] })[] };
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  data.areas.forEach((area, a) => {
    area.competences.forEach((competence, c) => {
      if (seen.has(competence.code)) {
        const at = yaml.positionOf(['areas', a, 'competences', c, 'code']);
        diagnostics.push(diagnose('framework/duplicate-code', { file: shown, ...at }, `competence code \`${competence.code}\` appears twice`));
      }
      seen.add(competence.code);
    });
  });
  const framework: Framework = {
    ...data,
    file: shown,
    areas: data.areas.map((area) => ({ ...area, competences: area.competences.map((c) => ({ ...c, area: area.code })) })),
  };
  return { framework, diagnostics };
}
