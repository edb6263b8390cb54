/**
 * The reason one input row is rejected. Readers throw it from row parsing; the
 * file driver turns it into an InputError (file, line, field) or, with
 * skipInvalid, into a count under `kind`, which is why `kind` is a short fixed
 * phrase and the varying part lives in `detail`.
 */
export class RowError extends Error {
  constructor(
    readonly kind: string,
    /** Column or JSON key; "(json)", "(row)", "(line)" when no single field is at fault. */
    readonly field: string,
    readonly detail: string = '',
    /** 0-based column, when the CSV scanner knows it but not the header name. */
    readonly column?: number,
  ) {
    super(detail ? `${kind}: ${detail}` : kind);
    this.name = 'RowError';
  }

  /** The same error, naming the field by its header name. */
  withField(field: string): RowError {
    return new RowError(this.kind, field, this.detail);
  }
}

/** Skip-count keys, so callers and tests can refer to them without retyping. */
export const RowErrorKind = {
  brokenJson: 'broken JSON',
  missingUser: 'missing user id',
  missingProduct: 'missing product id',
  ratingNotNumber: 'rating not a number',
  ratingOutOfRange: 'rating out of range',
  badTimestamp: 'bad timestamp',
  fieldCount: 'wrong field count',
  invalidUtf8: 'invalid UTF-8',
  malformedCsv: 'malformed CSV',
  duplicateReviewId: 'duplicate review_id',
  badWeight: 'bad weight',
  badId: 'bad id',
  lineTooLong: 'line too long',
} as const;
