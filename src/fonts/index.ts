// Fonts for the scripts learners' phones lack: see docs/fonts.md.
export { characterSet, codePointLabel, courseFonts, detectScripts, FONTS_CSS, FONTS_DIR, shapedGlyphs, type CourseFonts, type EmbeddedFont, type FontProblem, type FontText } from './course-fonts.js';
export { embedFonts, linkStylesheet, type EmbedFontsOptions, type EmbedFontsResult } from './embed.js';
export { pageText } from './page-text.js';
export { cssUnicodeRange, LATIN_LANGUAGES, SCRIPT_FONTS, scriptFontFor, type ScriptFont } from './scripts.js';
export { isEmoji, needsNoGlyph, SYSTEM_FONT_STACK, SYSTEM_MONO_STACK, systemHasGlyph } from './system-coverage.js';
