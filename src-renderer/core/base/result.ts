// Errors that name where the input went wrong. Importers never throw past their entry point
// without one of these: the user is told the file and the line or byte offset.

export interface SourceLocation {
  file: string;
  /** 1-based line number, when the input is line oriented. */
  line?: number;
  /** 0-based byte offset into the (decompressed) input. */
  offset?: number;
}

export class InputError extends Error {
  constructor(
    message: string,
    readonly where: SourceLocation,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** "file.json, line 12: unexpected end of input" */
  describe(): string {
    const at = this.where.line != null ? `line ${this.where.line}` : this.where.offset != null ? `byte ${this.where.offset}` : '';
    return `${this.where.file}${at ? `, ${at}` : ''}: ${this.message}`;
  }
}

export function describeError(e: unknown): string {
  if (e instanceof InputError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}
