// The DICOMweb client (issue #11): QIDO-RS search, WADO-RS retrieval with retries and resume, STOW-RS storage,
// and the import of a server's series into a study.

export { checkConnection, type DicomwebConnection } from './connection.js';
export { checkDicomDate, searchInstances, searchSeries, seriesQuery, type RemoteSeries, type SearchSeriesOptions } from './qido.js';
export { retrieveSeries, type RetrievedInstance, type RetrieveOptions } from './wado.js';
export { storeInstances, type StoreResult } from './stow.js';
export { importFromDicomweb, seriesLabel, type ImportDicomwebOptions } from './importDicomweb.js';
