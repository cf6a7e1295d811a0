import type { Diagnostic, Place, Severity } from './diagnostic.js';

// Every rule hocso can report, once: its id, default severity and the hint that tells the author how to fix it.
interface Rule {
  severity: Severity;
  hint: string;
}

export const RULES = {
  'config/not-found': { severity: 'error', hint: 'Run `hocso init` to create a project, or pass --config FILE.' },
  'config/yaml-syntax': { severity: 'error', hint: 'Fix the YAML syntax at the position shown (indentation, a missing colon or quote).' },
  'config/schema': { severity: 'error', hint: 'See "hocso.config.yaml" in README.md for the allowed keys.' },
  'config/course-missing': { severity: 'error', hint: 'Each entry of `courses` must be a folder holding a course.yaml.' },
  'course/yaml-syntax': { severity: 'error', hint: 'Fix the YAML syntax at the position shown (indentation, a missing colon or quote).' },
  'course/schema': { severity: 'error', hint: 'See "course.yaml" in README.md for the required keys.' },
  'course/lesson-missing': { severity: 'error', hint: 'Lesson paths are relative to course.yaml; check the spelling or create the file.' },
  'course/lesson-outside': { severity: 'error', hint: 'Keep lessons inside the course folder.' },
  'course/duplicate-module-id': { severity: 'error', hint: 'Give every module its own id.' },
  'course/duplicate-course-id': { severity: 'error', hint: 'Two courses in this project share an id; rename one.' },
  'course/lesson-listed-twice': { severity: 'error', hint: 'List each lesson file once.' },
  'course/language-tag': { severity: 'error', hint: 'Use a BCP 47 language tag such as vi, en, hmn or tyz.' },
  'course/unknown-prerequisite': { severity: 'error', hint: 'Prerequisites name lessons by the `id` in their front matter.' },
  'course/prerequisite-cycle': { severity: 'error', hint: 'Remove one requirement so that some lesson can be taken first.' },
  'course/unknown-framework': { severity: 'error', hint: 'Use the id of a framework file in content/frameworks/.' },
  'framework/yaml-syntax': { severity: 'error', hint: 'Fix the YAML syntax at the position shown.' },
  'framework/schema': { severity: 'error', hint: 'See schemas/framework.schema.json.' },
  'framework/duplicate-code': { severity: 'error', hint: 'Codes are stable ids: each must appear once in a framework.' },
  'lesson/front-matter-syntax': { severity: 'error', hint: 'Fix the YAML between the two `---` lines at the position shown.' },
  'lesson/front-matter-missing': { severity: 'error', hint: 'Start the lesson with a `---` block holding id, title, competencies and objectives.' },
  'lesson/schema': { severity: 'error', hint: 'See "A lesson" in README.md for the front-matter keys.' },
  'lesson/duplicate-id': { severity: 'error', hint: 'Lesson ids are stable ids for packages and progress: make each unique in its course.' },
  'competency/unknown-framework': { severity: 'error', hint: 'Write codes as FRAMEWORK:CODE with a framework the course lists in course.yaml.' },
  'competency/framework-not-declared': { severity: 'error', hint: 'Add the framework to `frameworks` in course.yaml, or use one it lists.' },
  'competency/unknown-code': { severity: 'error', hint: 'Use a competence code of the framework (see `hocso report competencies`).' },
  'competency/level-out-of-range': { severity: 'error', hint: 'Use a level the framework defines.' },
  'competency/duplicate': { severity: 'warning', hint: 'List each competence once per lesson.' },
  'quiz/missing-id': { severity: 'error', hint: 'Give the quiz an id: ::::quiz{#my-question}.' },
  'quiz/duplicate-id': { severity: 'error', hint: 'Quiz ids are stable ids for results: make each unique in its lesson.' },
  'quiz/unknown-type': { severity: 'error', hint: 'Use type=single, multiple, truefalse or fill.' },
  'quiz/no-question': { severity: 'error', hint: 'Write the question as a paragraph before the list of choices.' },
  'quiz/no-choices': { severity: 'error', hint: 'List the choices as a task list: `- [x] right` and `- [ ] wrong`.' },
  'quiz/no-correct-answer': { severity: 'error', hint: 'Mark the right choice with [x].' },
  'quiz/too-many-correct': { severity: 'error', hint: 'A single-choice question has exactly one [x]; use type=multiple for more.' },
  'quiz/truefalse-shape': { severity: 'error', hint: 'A true/false question has exactly two choices: true first, then false.' },
  'quiz/fill-no-blank': { severity: 'error', hint: 'Put ___ in the question where the learner types the answer.' },
  'quiz/stray-content': { severity: 'warning', hint: 'A quiz holds its question, then the choice list; move other content out of it.' },
  'quiz/missing-feedback': { severity: 'warning', hint: 'Add a `>` quote under the choice explaining why it is right or wrong.' },
  'quiz/none': { severity: 'warning', hint: 'Add a ::::quiz so the learner (and the LMS) can check what was learned.' },
  'directive/unknown': { severity: 'warning', hint: 'Known directives: tip, warning, note, steps, quiz, audio, video.' },
  'directive/misplaced': { severity: 'error', hint: 'Put quizzes and media at the top level of the lesson or inside a callout or step.' },
  'steps/no-list': { severity: 'error', hint: 'Write the steps as a numbered list inside :::steps.' },
  'link/outside-course': { severity: 'error', hint: 'Links and media may not leave the course folder; copy the file into it.' },
  'link/broken': { severity: 'error', hint: 'Check the path: it is relative to the lesson file.' },
  'link/unsafe-url': { severity: 'error', hint: 'Use an https: link or a path inside the course.' },
  'link/anchor': { severity: 'warning', hint: 'No heading of that lesson has this anchor.' },
  'media/missing': { severity: 'error', hint: 'Check the path: it is relative to the lesson file.' },
  'media/remote': { severity: 'error', hint: 'Bundles work offline: download the file into the course folder and link it there.' },
  'media/alt-missing': { severity: 'error', hint: 'Describe the image for people who cannot see it: ![what it shows](path).' },
  'media/captions-missing': { severity: 'warning', hint: 'Add captions="file.vtt" so deaf learners and noisy places are served.' },
  'media/src-missing': { severity: 'error', hint: 'Give the file: ::audio{src="media/clip.mp3"}.' },
  'html/unsafe': { severity: 'error', hint: 'Raw HTML may not run code: remove <script>, on…= handlers and javascript: URLs.' },
  'heading/order': { severity: 'warning', hint: 'Headings start at ## (the title is the page heading) and go down one level at a time.' },
  'package/not-a-zip': { severity: 'error', hint: 'Zip the package again (imsmanifest.xml at the root) and copy it whole: a download that stopped early is truncated.' },
  'package/unsafe-path': { severity: 'error', hint: 'Zip the package folder again with relative paths only: no leading /, drive letter, `..`, backslash or symbolic link.' },
  'package/zip-bomb': { severity: 'error', hint: 'hocso reads at most 512 MiB per file, 1 GiB in all and 50,000 files, and no file over 1 MiB compressed more than 100:1; shrink the media or split the course.' },
  'package/duplicate-entry': { severity: 'error', hint: 'Zip the folder again so each file appears once, under names that differ by more than case.' },
  'package/unreadable-entry': { severity: 'error', hint: 'Zip the package again without a password, using deflate or no compression.' },
  'package/manifest-missing': { severity: 'error', hint: 'imsmanifest.xml must be at the root of the package: zip the contents of the package folder, not the folder itself.' },
  'package/manifest-syntax': { severity: 'error', hint: 'Fix the XML at the line shown (an unclosed tag, an unescaped & or <, a wrong encoding).' },
  'package/unknown-version': { severity: 'error', hint: 'The root must be <manifest> in the IMS CP namespace of SCORM 1.2 (http://www.imsproject.org/xsd/imscp_rootv1p1p2) or 2004 (http://www.imsglobal.org/xsd/imscp_v1p1), with <schemaversion> 1.2, 2004 3rd Edition or 2004 4th Edition.' },
  'package/schema': { severity: 'error', hint: 'The manifest must follow the official ADL/IMS XSDs of its SCORM version: fix the element or attribute named at the line shown.' },
  'package/metadata-not-checked': { severity: 'warning', hint: 'To have the metadata checked too, move it to a file referenced by <adlcp:location>; LMSs accept both.' },
  'package/duplicate-identifier': { severity: 'error', hint: 'Identifiers of organizations, items, resources and sequencing sets share one namespace: make each unique in the manifest.' },
  'package/dangling-identifierref': { severity: 'error', hint: 'identifierref must be the identifier of a <resource> in this manifest (IDRef that of a sequencing in <imsss:sequencingCollection>).' },
  'package/default-organization': { severity: 'error', hint: 'Set <organizations default="…"> to the identifier of one of its <organization> elements.' },
  'package/missing-file': { severity: 'error', hint: 'Add the file to the package or fix the href: it is relative to the manifest after xml:base, URL-encoded, and case-sensitive.' },
  'package/href-outside': { severity: 'error', hint: 'Write hrefs as relative paths inside the package (or http(s): URLs): no leading /, no `..` above the root, no file: or other schemes.' },
  'package/launch-missing': { severity: 'error', hint: 'A SCO, and every resource an item launches, needs an href naming a file in the package.' },
  'package/metadata-missing': { severity: 'error', hint: 'Add the metadata file to the package or fix the path in <adlcp:location>.' },
  'package/metadata-syntax': { severity: 'error', hint: 'Fix the XML of the metadata file at the line shown.' },
  'package/unlisted-file': { severity: 'warning', hint: 'List the file in a <file href> of the resource that uses it, or remove it: some LMSs import only the files the manifest lists.' },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

/** Builds a diagnostic for a rule, with the rule's severity and hint unless overridden. */
export function diagnose(ruleId: RuleId, place: Place, message: string, extra: { hint?: string; severity?: Severity } = {}): Diagnostic {
  const rule: Rule = RULES[ruleId];
  return {
    ruleId,
    severity: extra.severity ?? rule.severity,
    file: place.file,
    line: place.line ?? 1,
    column: place.column ?? 1,
    message,
    hint: extra.hint ?? rule.hint,
  };
}
