// The embeddings import, for the API handler and the CLI.
export {
  checkImportRequest,
  importEmbeddings,
  startImportJob,
  type ImportReport,
  type ImportRequest,
} from './import-embeddings';
export type { ImportSource, KeyField } from './import-source';
export { listNpzArrays } from './npz-file';
