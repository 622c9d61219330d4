// Entry of the `tldr-studio` command (bin/tldr-studio.mjs loads it).
import { main } from './program';

process.exitCode = await main();
