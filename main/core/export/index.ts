// Exports of a run's kept pairs to trainer formats, and the self-contained HTML report.
export { exportRun } from './export-run';
export { ExportError, type ExportErrorKind } from './errors';
export { nodeIo, type ExportIo, type ExportFileHandle } from './export-io';
export { listExports, getExport, type ExportRow } from './exports-table';
export { MANIFEST_FILE, MANIFEST_KIND, type ExportManifest } from './manifest';
export { blipWordCount, BLIP_MAX_WORDS } from './captions';
export {
  EXPORT_FORMATS,
  type ExportFormat,
  type SubsetFormat,
  type CaptionSource,
  type ExportProgress,
  type ExportRunOptions,
  type ExportResult,
  type ExportedFile,
} from './types';
export { writeReport, type WriteReportOptions, type WrittenReport } from './report/write-report';
export { renderReport, reportCsp, DEFAULT_CAVEAT } from './report/render';
export { loadReportData, adaptEvaluation } from './report/from-db';
export type {
  ReportData,
  ReportDataset,
  ReportRunData,
  ReportMetric,
  ReportReference,
  ReportHistogram,
  RankPoint,
} from './report/report-data';
export { startExportJob, type ExportRequest, type ExportJobResult } from './export-job';
