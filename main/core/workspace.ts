// The default workspace: the same folder for the CLI, the headless server and the app.
import os from 'node:os';
import path from 'node:path';

export function defaultWorkspace(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.TLDR_WORKSPACE) return path.resolve(env.TLDR_WORKSPACE);
  const home = os.homedir();
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'tldr-studio');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'tldr-studio');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'tldr-studio');
}
