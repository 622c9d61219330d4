// A tiny CLIP with the file names, inputs and outputs of the Xenova/optimum CLIP exports
// that transformers.js loads: onnx/vision_model.onnx (pixel_values → image_embeds,
// last_hidden_state with the CLS token first) and onnx/text_model.onnx (input_ids →
// text_embeds, last_hidden_state). The vision pooled path is the real one in shape:
// last_hidden_state[:, 0] → post LayerNorm → projection MatMul, which is what
// projected-patch-token extraction relies on.
import { GraphBuilder } from '../main/core/compute/graph-builder';
import { TINY_IDS, tinyVocabSize } from './tiny-tokenizer';
import { TinyWeights, layerNorm, patchEmbed, residualTanh } from './tiny-weights';

export interface TinyClipDims {
  image: number;
  patch: number;
  hidden: number;
  projection: number;
  maxText: number;
}

export const TINY_CLIP_DIMS: TinyClipDims = { image: 32, patch: 8, hidden: 16, projection: 8, maxText: 16 };

/**
 * `clsSelect` picks how the CLS row is taken from the tokens: a Gather (what
 * torch.onnx.export makes of `x[:, 0, :]`) or Slice + Squeeze (what other exporters make).
 */
export function tinyClipVisionModel(
  d: TinyClipDims = TINY_CLIP_DIMS,
  seed = 11,
  clsSelect: 'gather' | 'slice' = 'gather',
): Uint8Array {
  const g = new GraphBuilder('tiny_clip_vision');
  const w = new TinyWeights(seed);
  const tokens = (d.image / d.patch) ** 2;
  const pixels = g.input('pixel_values', 'float32', ['batch_size', 3, d.image, d.image]);
  const patches = patchEmbed(g, w, pixels, d.image, d.patch, d.hidden);
  // CLS = learned vector + mean of the patches, so the pooled output sees the image.
  const mean = g.op('ReduceMean', [patches], { axes: [1], keepdims: 1 });
  const cls = g.op('Add', [mean, w.matrix(g, 'embeddings.class_embedding', [1, 1, d.hidden])]);
  const seq = g.op('Concat', [cls, patches], { axis: 1 });
  const pos = g.op('Add', [seq, w.matrix(g, 'embeddings.position_embedding', [tokens + 1, d.hidden], 0.1)]);
  const hidden = residualTanh(g, w, pos, 'encoder.layers.0.mlp', d.hidden);
  const one = (v: number): string => g.constant('int64', [v]);
  const pooled =
    clsSelect === 'gather'
      ? g.op('Gather', [hidden, g.constant('int64', [0], [])], { axis: 1 })
      : g.op('Squeeze', [g.op('Slice', [hidden, one(0), one(1), one(1)]), one(1)]);
  const normed = layerNorm(g, w, pooled, 'post_layernorm', d.hidden);
  const embeds = g.op('MatMul', [normed, w.matrix(g, 'visual_projection', [d.hidden, d.projection])]);
  g.output(embeds, 'float32', ['batch_size', d.projection], 'image_embeds');
  g.output(hidden, 'float32', ['batch_size', tokens + 1, d.hidden], 'last_hidden_state');
  return g.build();
}

export function tinyClipTextModel(d: TinyClipDims = TINY_CLIP_DIMS, seed = 12): Uint8Array {
  const g = new GraphBuilder('tiny_clip_text');
  const w = new TinyWeights(seed);
  const vocab = tinyVocabSize();
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const emb = g.op('Gather', [w.matrix(g, 'embeddings.token_embedding', [vocab, d.hidden], 1), ids]);
  // Position embeddings for the first L positions.
  const len = g.op('Shape', [ids], { start: 1, end: 2 });
  const posTable = w.matrix(g, 'embeddings.position_embedding', [d.maxText, d.hidden], 0.1);
  const pos = g.op('Slice', [posTable, g.constant('int64', [0]), len, g.constant('int64', [0])]);
  const hidden = residualTanh(g, w, g.op('Add', [emb, pos]), 'encoder.layers.0.mlp', d.hidden);
  // Mean over non-pad tokens, so an embedding does not depend on how a batch was padded.
  const keep = g.op('Not', [g.op('Equal', [ids, g.constant('int64', [TINY_IDS.pad], [])])]);
  const mask = g.op('Unsqueeze', [g.op('Cast', [keep], { to: 1 }), g.constant('int64', [2])]);
  const sum = g.op('ReduceSum', [g.op('Mul', [hidden, mask]), g.constant('int64', [1])], { keepdims: 0 });
  const count = g.op('ReduceSum', [mask, g.constant('int64', [1])], { keepdims: 0 });
  const pooled = g.op('Div', [sum, g.op('Max', [count, g.constant('float32', [1], [])])]);
  const normed = layerNorm(g, w, pooled, 'final_layer_norm', d.hidden);
  const embeds = g.op('MatMul', [normed, w.matrix(g, 'text_projection', [d.hidden, d.projection])]);
  g.output(embeds, 'float32', ['batch_size', d.projection], 'text_embeds');
  g.output(hidden, 'float32', ['batch_size', 'sequence_length', d.hidden], 'last_hidden_state');
  return g.build();
}

/**
 * Tiny SigLIP: no CLS token (last_hidden_state is the patches, post-layernormed as in
 * SigLIP), and `pooler_output` instead of image_embeds/text_embeds (the real one comes
 * from an attention-pooling head; here a mean + projection stands in).
 */
export function tinySiglipVisionModel(d: TinyClipDims = TINY_CLIP_DIMS, seed = 31): Uint8Array {
  const g = new GraphBuilder('tiny_siglip_vision');
  const w = new TinyWeights(seed);
  const tokens = (d.image / d.patch) ** 2;
  const pixels = g.input('pixel_values', 'float32', ['batch_size', 3, d.image, d.image]);
  const patches = patchEmbed(g, w, pixels, d.image, d.patch, d.hidden);
  const pos = g.op('Add', [patches, w.matrix(g, 'embeddings.position_embedding', [tokens, d.hidden], 0.1)]);
  const hidden = layerNorm(
    g,
    w,
    residualTanh(g, w, pos, 'encoder.layers.0.mlp', d.hidden),
    'post_layernorm',
    d.hidden,
  );
  const mean = g.op('ReduceMean', [hidden], { axes: [1], keepdims: 0 });
  const pooled = g.op('MatMul', [mean, w.matrix(g, 'head.mlp', [d.hidden, d.hidden])]);
  g.output(hidden, 'float32', ['batch_size', tokens, d.hidden], 'last_hidden_state');
  g.output(pooled, 'float32', ['batch_size', d.hidden], 'pooler_output');
  return g.build();
}

export function tinySiglipTextModel(d: TinyClipDims = TINY_CLIP_DIMS, seed = 32): Uint8Array {
  const g = new GraphBuilder('tiny_siglip_text');
  const w = new TinyWeights(seed);
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const emb = g.op('Gather', [
    w.matrix(g, 'embeddings.token_embedding', [tinyVocabSize(), d.hidden], 1),
    ids,
  ]);
  const len = g.op('Shape', [ids], { start: 1, end: 2 });
  const posTable = w.matrix(g, 'embeddings.position_embedding', [d.maxText, d.hidden], 0.1);
  const pos = g.op('Slice', [posTable, g.constant('int64', [0]), len, g.constant('int64', [0])]);
  const hidden = layerNorm(
    g,
    w,
    residualTanh(g, w, g.op('Add', [emb, pos]), 'encoder.layers.0.mlp', d.hidden),
    'final_layer_norm',
    d.hidden,
  );
  // SigLIP pools the last position (its text is padded to max_length).
  const last = g.op('Gather', [hidden, g.constant('int64', [-1], [])], { axis: 1 });
  const pooled = g.op('MatMul', [last, w.matrix(g, 'head', [d.hidden, d.hidden])]);
  g.output(hidden, 'float32', ['batch_size', 'sequence_length', d.hidden], 'last_hidden_state');
  g.output(pooled, 'float32', ['batch_size', d.hidden], 'pooler_output');
  return g.build();
}

export function tinySiglipConfig(d: TinyClipDims = TINY_CLIP_DIMS): Record<string, unknown> {
  return {
    _name_or_path: 'tldr-studio/tiny-siglip',
    architectures: ['SiglipModel'],
    model_type: 'siglip',
    text_config: {
      model_type: 'siglip_text_model',
      hidden_size: d.hidden,
      max_position_embeddings: d.maxText,
      vocab_size: tinyVocabSize(),
      num_attention_heads: 2,
      num_hidden_layers: 1,
    },
    vision_config: {
      model_type: 'siglip_vision_model',
      hidden_size: d.hidden,
      image_size: d.image,
      patch_size: d.patch,
      num_attention_heads: 2,
      num_hidden_layers: 1,
    },
  };
}

export function tinySiglipPreprocessor(d: TinyClipDims = TINY_CLIP_DIMS): Record<string, unknown> {
  return {
    image_processor_type: 'SiglipImageProcessor',
    do_resize: true,
    size: { height: d.image, width: d.image },
    resample: 2,
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
  };
}

export function tinyClipConfig(d: TinyClipDims = TINY_CLIP_DIMS): Record<string, unknown> {
  return {
    _name_or_path: 'tldr-studio/tiny-clip',
    architectures: ['CLIPModel'],
    model_type: 'clip',
    projection_dim: d.projection,
    text_config: {
      model_type: 'clip_text_model',
      hidden_size: d.hidden,
      max_position_embeddings: d.maxText,
      vocab_size: tinyVocabSize(),
      num_attention_heads: 2,
      num_hidden_layers: 1,
      projection_dim: d.projection,
      bos_token_id: TINY_IDS.bos,
      eos_token_id: TINY_IDS.eos,
      pad_token_id: TINY_IDS.pad,
    },
    vision_config: {
      model_type: 'clip_vision_model',
      hidden_size: d.hidden,
      image_size: d.image,
      patch_size: d.patch,
      num_attention_heads: 2,
      num_hidden_layers: 1,
      projection_dim: d.projection,
    },
  };
}

export function tinyClipPreprocessor(d: TinyClipDims = TINY_CLIP_DIMS): Record<string, unknown> {
  return {
    image_processor_type: 'CLIPImageProcessor',
    do_convert_rgb: true,
    do_resize: true,
    size: { shortest_edge: d.image },
    resample: 3,
    do_center_crop: true,
    crop_size: { height: d.image, width: d.image },
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.48145466, 0.4578275, 0.40821073],
    image_std: [0.26862954, 0.26130258, 0.27577711],
  };
}
