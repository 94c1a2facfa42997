/**
 * Sizes the next purge chunk from the measured cost per row so its transaction fits a time budget. A slow chunk
 * shrinks the next one at once (the cost estimate jumps to the new worst); a fast one lets it grow only
 * gradually (the estimate decays), because the cost of a chunk varies (page flushes, purge lag) and a
 * transaction over the target is what Galera must not get.
 */
export class ChunkSizer {
  private msPerRow: number | undefined;
  chunk: number;

  constructor(
    private readonly options: {
      initial: number;
      min: number;
      max: number;
      budgetMs: number;
      growth?: number;
      decay?: number;
    },
  ) {
    this.chunk = Math.max(options.min, Math.min(options.max, options.initial));
  }

  /** Records a chunk of `rows` rows whose transaction took `ms`, and returns the size of the next one. */
  record(rows: number, ms: number): number {
    if (rows > 0) {
      const measured = ms / rows;
      const decayed = this.msPerRow === undefined ? measured : this.msPerRow * (this.options.decay ?? 0.8);
      this.msPerRow = Math.max(measured, decayed);
      const fits = this.options.budgetMs / Math.max(this.msPerRow, 1e-6);
      const next = Math.min(fits, this.chunk * (this.options.growth ?? 1.5));
      this.chunk = Math.round(Math.max(this.options.min, Math.min(this.options.max, next)));
    }
    return this.chunk;
  }
}
