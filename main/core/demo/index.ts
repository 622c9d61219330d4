// The demo dataset: procedurally drawn scenes with captions and planted ground truth.
export {
  demoPaths,
  generateDemo,
  readDemoManifest,
  type DemoPaths,
  type GenerateDemoOptions,
} from './generate';
export {
  DEMO_GENERATOR_VERSION,
  DEMO_MANIFEST_FORMAT,
  DEMO_RATES,
  type Corruption,
  type DemoItem,
  type DemoManifest,
  type DemoObject,
  type DemoPlant,
  type DemoSummary,
  type NearDuplicateVariant,
} from './manifest';
export { FREQUENT_WORD_CAPTIONS } from './captions';
export {
  COLOURS,
  OBJECT_NAMES,
  objectNouns,
  colourWords,
  type ColourName,
  type ObjectName,
} from './vocabulary';
