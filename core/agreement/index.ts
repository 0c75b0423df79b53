// core/agreement: inter-reader agreement for reader studies (issue #13): percent agreement, Cohen's,
// Fleiss' and per-class kappa, Krippendorff's alpha, confusion between readers, disagreements. Pure
// functions over plain data (no database, no UI); results are JSON-serialisable.

export {
  agreement,
  type AgreementCounts,
  type AgreementOptions,
  type AgreementReport,
  type ClassAgreement,
  type Disagreement,
  type PercentAgreement,
} from './agreement.js';
export {
  cohenKappaFromTable,
  Z_FOR_LEVEL,
  type CohenKappa,
  type ConfidenceLevel,
  type Interval,
} from './cohenKappa.js';
export { fleissKappa, scanAgreement, type FleissClassKappa, type FleissKappaStats } from './fleissKappa.js';
export { type FleissReport, type ScanLeftOut } from './fleissOverScans.js';
export { formatAgreement, formatKappa, type FormatAgreementOptions } from './formatAgreement.js';
export { krippendorffAlpha, type KrippendorffAlpha } from './krippendorffAlpha.js';
export { type Read } from './readTable.js';
export { type ReaderPair } from './readerPairs.js';
