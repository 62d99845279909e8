/**
 * What a pure translation returns besides its value: things it could not honour exactly.
 * A warning is never a silent drop: the server logs it and counts it in metrics by `code`.
 */

export interface TranslationWarning {
  /** Stable identifier for metrics, e.g. "dropped-field", "unsupported-block". */
  code: string;
  /** Where in the request, e.g. "context_management" or "messages[3].content[1]". */
  path: string;
  message: string;
}

export interface Translated<T> {
  value: T;
  warnings: TranslationWarning[];
}
