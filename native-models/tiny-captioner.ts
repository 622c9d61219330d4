// A tiny VisionEncoderDecoder captioner (ViT encoder + GPT-2-like decoder) with the files
// and tensor names of the Xenova/optimum exports that transformers.js' image-to-text
// pipeline loads:
//   onnx/encoder_model.onnx         pixel_values → last_hidden_state
//   onnx/decoder_model_merged.onnx  input_ids, encoder_hidden_states,
//                                   past_key_values.{i}.key/value, use_cache_branch
//                                   → logits, present.{i}.key/value
// The real "merged" decoder switches between its no-cache and with-cache subgraphs with
// an If on use_cache_branch. One graph that concatenates the (possibly empty, length 0)
// past with the new keys computes the same thing for both branches, so the input is
// declared for the interface and otherwise unused.
import { GraphBuilder } from '../main/core/compute/graph-builder';
import { TINY_IDS, tinyVocabSize } from './tiny-tokenizer';
import { TinyWeights, layerNorm, patchEmbed, residualTanh } from './tiny-weights';

export interface TinyCaptionerDims {
  image: number;
  patch: number;
  hidden: number;
  heads: number;
  layers: number;
  maxPositions: number;
}

export const TINY_CAPTIONER_DIMS: TinyCaptionerDims = {
  image: 32,
  patch: 8,
  hidden: 16,
  heads: 2,
  layers: 1,
  maxPositions: 64,
};

export function tinyCaptionerEncoder(d: TinyCaptionerDims = TINY_CAPTIONER_DIMS, seed = 21): Uint8Array {
  const g = new GraphBuilder('tiny_vit_encoder');
  const w = new TinyWeights(seed);
  const tokens = (d.image / d.patch) ** 2;
  const pixels = g.input('pixel_values', 'float32', ['batch_size', 3, d.image, d.image]);
  const patches = patchEmbed(g, w, pixels, d.image, d.patch, d.hidden);
  const mean = g.op('ReduceMean', [patches], { axes: [1], keepdims: 1 });
  const cls = g.op('Add', [mean, w.matrix(g, 'embeddings.cls_token', [1, 1, d.hidden])]);
  const seq = g.op('Concat', [cls, patches], { axis: 1 });
  const pos = g.op('Add', [seq, w.matrix(g, 'embeddings.position_embeddings', [tokens + 1, d.hidden], 0.1)]);
  const hidden = layerNorm(
    g,
    w,
    residualTanh(g, w, pos, 'encoder.layer.0.mlp', d.hidden),
    'layernorm',
    d.hidden,
  );
  g.output(hidden, 'float32', ['batch_size', tokens + 1, d.hidden], 'last_hidden_state');
  return g.build();
}

function heads(g: GraphBuilder, x: string, h: number, hd: number): string {
  // [B, S, h·hd] → [B, h, S, hd]
  return g.op('Transpose', [g.op('Reshape', [x, g.constant('int64', [0, 0, h, hd])])], {
    perm: [0, 2, 1, 3],
  });
}

export function tinyCaptionerDecoder(d: TinyCaptionerDims = TINY_CAPTIONER_DIMS, seed = 22): Uint8Array {
  const g = new GraphBuilder('tiny_gpt2_decoder_merged');
  const w = new TinyWeights(seed);
  const vocab = tinyVocabSize();
  const hd = d.hidden / d.heads;
  const ids = g.input('input_ids', 'int64', ['batch_size', 'decoder_sequence_length']);
  const enc = g.input('encoder_hidden_states', 'float32', [
    'batch_size',
    'encoder_sequence_length',
    d.hidden,
  ]);
  const pastShape = ['batch_size', d.heads, 'past_decoder_sequence_length', hd];
  const past: Array<{ key: string; value: string }> = [];
  for (let i = 0; i < d.layers; i++) {
    past.push({
      key: g.input(`past_key_values.${i}.key`, 'float32', pastShape),
      value: g.input(`past_key_values.${i}.value`, 'float32', pastShape),
    });
  }
  g.input('use_cache_branch', 'bool', [1]);

  // Positions P … P+S-1, P = cached length.
  const scalar = (t: string): string => g.op('Squeeze', [t, g.constant('int64', [0])]);
  const pastLen = scalar(g.op('Shape', [past[0]!.key], { start: 2, end: 3 }));
  const newLen = scalar(g.op('Shape', [ids], { start: 1, end: 2 }));
  const total = g.op('Add', [pastLen, newLen]);
  const one = g.constant('int64', [1], []);
  const positions = g.op('Range', [pastLen, total, one]);
  const wpe = w.matrix(g, 'transformer.wpe', [d.maxPositions, d.hidden], 0.1);
  let x = g.op('Add', [
    g.op('Gather', [w.matrix(g, 'transformer.wte', [vocab, d.hidden], 1), ids]),
    g.op('Gather', [wpe, positions]),
  ]);

  // Causal mask over [S, P+S]: key j is hidden from query P+i when j > P+i.
  const keyPos = g.op('Unsqueeze', [
    g.op('Range', [g.constant('int64', [0], []), total, one]),
    g.constant('int64', [0]),
  ]);
  const queryPos = g.op('Unsqueeze', [positions, g.constant('int64', [1])]);
  const masked = g.op('Greater', [keyPos, queryPos]);

  for (let i = 0; i < d.layers; i++) {
    const p = `transformer.h.${i}`;
    const h = layerNorm(g, w, x, `${p}.ln_1`, d.hidden);
    const q = heads(g, g.op('MatMul', [h, w.matrix(g, `${p}.attn.q`, [d.hidden, d.hidden])]), d.heads, hd);
    const k = heads(g, g.op('MatMul', [h, w.matrix(g, `${p}.attn.k`, [d.hidden, d.hidden])]), d.heads, hd);
    const v = heads(g, g.op('MatMul', [h, w.matrix(g, `${p}.attn.v`, [d.hidden, d.hidden])]), d.heads, hd);
    const keys = g.node('Concat', [past[i]!.key, k], [`present.${i}.key`], { axis: 2 })[0]!;
    const values = g.node('Concat', [past[i]!.value, v], [`present.${i}.value`], { axis: 2 })[0]!;
    const scores = g.op('Mul', [
      g.op('MatMul', [q, g.op('Transpose', [keys], { perm: [0, 1, 3, 2] })]),
      g.constant('float32', [1 / Math.sqrt(hd)], []),
    ]);
    const probs = g.op('Softmax', [g.op('Where', [masked, g.constant('float32', [-1e4], []), scores])], {
      axis: -1,
    });
    const ctx = g.op('Transpose', [g.op('MatMul', [probs, values])], { perm: [0, 2, 1, 3] });
    const merged = g.op('Reshape', [ctx, g.constant('int64', [0, 0, d.hidden])]);
    x = g.op('Add', [x, g.op('MatMul', [merged, w.matrix(g, `${p}.attn.c_proj`, [d.hidden, d.hidden])])]);
    // Cross-attention stand-in: the mean encoder state, projected, added to every position.
    const encMean = g.op('ReduceMean', [enc], { axes: [1], keepdims: 1 });
    x = g.op('Add', [
      x,
      g.op('Tanh', [g.op('MatMul', [encMean, w.matrix(g, `${p}.crossattention`, [d.hidden, d.hidden])])]),
    ]);
    x = residualTanh(g, w, layerNorm(g, w, x, `${p}.ln_2`, d.hidden), `${p}.mlp`, d.hidden);
  }
  const logits = g.op('MatMul', [
    layerNorm(g, w, x, 'transformer.ln_f', d.hidden),
    w.matrix(g, 'lm_head', [d.hidden, vocab], 2),
  ]);
  g.output(logits, 'float32', ['batch_size', 'decoder_sequence_length', vocab], 'logits');
  const presentShape = ['batch_size', d.heads, 'present_sequence_length', hd];
  for (let i = 0; i < d.layers; i++) {
    g.output(`present.${i}.key`, 'float32', presentShape);
    g.output(`present.${i}.value`, 'float32', presentShape);
  }
  return g.build();
}

export function tinyCaptionerConfig(d: TinyCaptionerDims = TINY_CAPTIONER_DIMS): Record<string, unknown> {
  const tokens = { bos_token_id: TINY_IDS.bos, eos_token_id: TINY_IDS.eos, pad_token_id: TINY_IDS.pad };
  return {
    _name_or_path: 'tldr-studio/tiny-captioner',
    architectures: ['VisionEncoderDecoderModel'],
    model_type: 'vision-encoder-decoder',
    is_encoder_decoder: true,
    decoder_start_token_id: TINY_IDS.bos,
    ...tokens,
    encoder: {
      model_type: 'vit',
      hidden_size: d.hidden,
      image_size: d.image,
      patch_size: d.patch,
      num_attention_heads: d.heads,
      num_hidden_layers: 1,
    },
    decoder: {
      model_type: 'gpt2',
      add_cross_attention: true,
      is_decoder: true,
      n_embd: d.hidden,
      n_head: d.heads,
      n_layer: d.layers,
      n_positions: d.maxPositions,
      vocab_size: tinyVocabSize(),
      ...tokens,
      decoder_start_token_id: TINY_IDS.bos,
    },
  };
}

export function tinyCaptionerGenerationConfig(): Record<string, unknown> {
  return {
    decoder_start_token_id: TINY_IDS.bos,
    bos_token_id: TINY_IDS.bos,
    eos_token_id: TINY_IDS.eos,
    pad_token_id: TINY_IDS.pad,
    max_length: 32,
  };
}

export function tinyCaptionerPreprocessor(
  d: TinyCaptionerDims = TINY_CAPTIONER_DIMS,
): Record<string, unknown> {
  return {
    image_processor_type: 'ViTImageProcessor',
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
