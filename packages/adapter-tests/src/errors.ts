/** Invalid options given to `runAdapterConformance`; `field` names what to fix. */
export class MikaConformanceOptionsError extends Error {
  readonly code = "MIKA_CONFORMANCE_INVALID_OPTIONS";
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "MikaConformanceOptionsError";
    this.field = field;
  }
}
