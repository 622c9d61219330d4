// Entry of the Electron main process: the only main-side file that imports 'electron'.
import * as electron from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './app';

startApp(electron, {
  mainDir: path.dirname(fileURLToPath(import.meta.url)),
  resourcesPath: process.resourcesPath,
});
