// A prediction in words, shown beside (never as) a label: class, confidence, model and time.

/** The fields of ImageSummary.prediction this needs (confidence is optional for older servers). */
export interface PredictionLike {
  readonly label: string;
  readonly modelId: string;
  readonly createdAt: string;
  readonly probability?: number;
}

/** e.g. "M 87% · model e2e-tiny · 06/12/2026, 10:00:00"; the confidence is left out when unknown. */
export function predictionText(p: PredictionLike, locale?: string): string {
  const confidence = typeof p.probability === 'number' && Number.isFinite(p.probability) ? ` ${Math.round(p.probability * 100)}%` : '';
  return `${p.label}${confidence} · model ${p.modelId} · ${new Date(p.createdAt).toLocaleString(locale)}`;
}

/** A short form for the study list: "M? 87%" (the question mark marks it as a guess, not a label). */
export function predictionShort(p: PredictionLike): string {
  const confidence = typeof p.probability === 'number' && Number.isFinite(p.probability) ? ` ${Math.round(p.probability * 100)}%` : '';
  return `${p.label}?${confidence}`;
}
