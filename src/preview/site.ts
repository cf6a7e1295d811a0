// One compile of the project for `hocso preview`: every course and language as its web bundle, and the same pages
// with the SCORM 2004 runtime for the SCORM panel, all in memory under the URL paths the preview serves them at.
import type { Io } from '../cli/context.js';
import { openProject } from '../cli/context.js';
import { compileProject } from '../compile/compile-project.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { buildLanguages, languageChain, localizeCourse } from '../i18n/localize.js';
import { prepareMedia } from '../media/prepare.js';
import { lessonsOf } from '../model/course.js';
import type { ProjectConfig } from '../project/config.js';
import { scormWebExtension } from '../targets/scorm/runtime.js';
import { renderWebBundle } from '../targets/web.js';

/** Where the SCORM panel's lesson pages (with hocso-scorm.js) are served: SCO_PREFIX/COURSE/LANG/… */
export const SCO_PREFIX = '/__hocso/sco';

export interface SiteCourse {
  id: string;
  title: string;
  languages: { tag: string; title: string; lessons: { id: string; title: string }[] }[];
}

export interface Site {
  /** URL path (starting with /) → file: the only things the preview serves besides its own pages. */
  files: Map<string, string | Uint8Array>;
  courses: SiteCourse[];
}

export interface SiteBuild {
  /** Absent when the build had errors (the last good site keeps being served). */
  site?: Site;
  diagnostics: Diagnostic[];
  /** What to watch for the next build: the config file, the course folders, the frameworks folder. */
  watched: string[];
  config?: ProjectConfig;
}

/** Compiles and renders everything; `lang` narrows the languages (tags the project does not build are ignored). */
export async function buildSite(io: Io, options: { config?: string; lang?: readonly string[] }): Promise<SiteBuild> {
  const opened = openProject(io.cwd, options.config);
  if (!opened.config || hasErrors(opened.diagnostics)) return { diagnostics: opened.diagnostics, watched: [] };
  const config = opened.config;
  const watched = [config.file, config.frameworksDir, ...config.courses.map((c) => c.dir)];
  const project = await compileProject(config);
  const diagnostics = [...opened.diagnostics, ...project.diagnostics];
  const plans = project.courses.flatMap((course) =>
    buildLanguages(config.languages, course)
      .filter((setting) => !options.lang?.length || options.lang.includes(setting.tag))
      .map((setting) => ({ course, setting, localized: localizeCourse(course, languageChain(setting, course)) })),
  );
  if (!hasErrors(diagnostics)) {
    diagnostics.push(...(await prepareMedia({
      courses: project.courses,
      shown: plans.map((p) => ({ course: p.course, lessons: lessonsOf(p.localized.course) })),
      ...(config.narration ? { narration: config.narration } : {}),
      projectRoot: config.root,
    })));
  }
  if (hasErrors(diagnostics)) return { diagnostics, watched, config };

  const files = new Map<string, string | Uint8Array>();
  const courses = new Map<string, SiteCourse>();
  for (const { course, setting, localized } of plans) {
    const lang = setting.tag;
    const web = await renderWebBundle(localized.course, lang, project.frameworks);
    for (const [file, content] of web) files.set(`/${course.id}/${lang}/${file}`, content);
    // As a SCORM 2004 package has them: one SCO per lesson, no links between lessons.
    const sco = await renderWebBundle(localized.course, lang, project.frameworks, { ...scormWebExtension(localized.course, '2004', 'lesson'), navigation: false });
    for (const [file, content] of sco) files.set(`${SCO_PREFIX}/${course.id}/${lang}/${file}`, content);
    const entry = courses.get(course.id) ?? { id: course.id, title: course.title, languages: [] };
    entry.languages.push({ tag: lang, title: localized.course.title, lessons: lessonsOf(localized.course).map((l) => ({ id: l.id, title: l.title })) });
    courses.set(course.id, entry);
  }
  return { site: { files, courses: [...courses.values()] }, diagnostics, watched, config };
}
