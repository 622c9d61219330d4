// Every contract operation → its handler. The mapped type makes a missing one a type error.
import * as datasets from './datasets';
import * as demo from './demo';
import * as engine from './engine';
import * as exports_ from './exports';
import * as features from './features';
import * as jobs from './jobs';
import * as media from './media';
import * as runs from './runs';
import * as timix from './timix';
import type { HandlerMap } from './types';
import * as words from './words';

export const handlers: HandlerMap = {
  'engine.status': engine.status,
  'datasets.detect': datasets.detect,
  'datasets.index': datasets.index,
  'datasets.list': datasets.list,
  'datasets.info': datasets.info,
  'datasets.pairs': datasets.pairs,
  'datasets.remove': datasets.remove,
  'media.thumbnail': media.thumbnail,
  'words.top': words.top,
  'engine.providers': engine.providerStatus,
  'features.embed': features.embed,
  'features.import': features.importEmbeddings,
  'features.list': features.list,
  'runs.compress': runs.compress,
  'runs.list': runs.list,
  'runs.get': runs.get,
  'runs.compare': runs.compare,
  'runs.map': runs.map,
  'runs.pairs': runs.pairs,
  'runs.refine': runs.refine,
  'exports.start': exports_.start,
  'exports.list': exports_.list,
  'reports.write': exports_.report,
  'timix.export': timix.exportRecipe,
  'timix.preview': timix.preview,
  'demo.generate': demo.generate,
  'jobs.list': jobs.list,
  'jobs.get': jobs.get,
  'jobs.cancel': jobs.cancel,
};
