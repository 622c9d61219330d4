// Plugs the clip-retrieval metadata reader into the dataset registry (so a clip-retrieval
// folder can be indexed), for entry points that import this module for its effect.
import { createClipRetrievalReader } from '../../dataset/readers/clip-retrieval';
import { registerReader } from '../../dataset/registry';

registerReader('clip-retrieval', createClipRetrievalReader);
