// Activity IRIs for xAPI and cmi5: stable, derived from the project's iriBase and the ids authors already keep
// stable (course, module, lesson, quiz). A lesson's IRI does not contain its module, so moving a lesson between
// modules keeps its statements together in the LRS.

/** The placeholder used when hocso.config.yaml sets no iriBase: `.invalid` never resolves, so nobody owns it by mistake. */
export const DEFAULT_IRI_BASE = 'https://hocso.invalid/xapi';

export interface CourseIris {
  course: string;
  module: (moduleId: string) => string;
  lesson: (lessonId: string) => string;
  question: (lessonId: string, quizId: string) => string;
}

export function courseIris(iriBase: string, courseId: string): CourseIris {
  const course = `${iriBase.replace(/\/+$/, '')}/${encodeURIComponent(courseId)}`;
  const lesson = (lessonId: string): string => `${course}/lessons/${encodeURIComponent(lessonId)}`;
  return {
    course,
    module: (moduleId) => `${course}/modules/${encodeURIComponent(moduleId)}`,
    lesson,
    question: (lessonId, quizId) => `${lesson(lessonId)}/questions/${encodeURIComponent(quizId)}`,
  };
}
