// Plain-text rendering of results for the terminal.
import type { DatasetStatsDto } from '../api/schemas';

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function bytes(b: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) {
    b /= 1024;
    i++;
  }
  return `${b.toFixed(i ? 1 : 0)} ${u[i]}`;
}

export function formatErrors(errors: Record<string, number>): string {
  const e = Object.entries(errors);
  return e.length ? e.map(([k, v]) => `    ${k.padEnd(20)} ${n(v)}`).join('\n') : '    none';
}

export function formatIndexResult(info: DatasetStatsDto): string {
  return [
    `indexed dataset ${info.dataset.id} (${info.dataset.format}) at ${info.dataset.root}`,
    `  pairs  ${n(info.pairs)}   images ${n(info.images)}   ok ${n(info.ok)}   errors ${n(info.errorTotal)}`,
    `  errors by kind:`,
    formatErrors(info.errors),
  ].join('\n');
}

export function formatInfo(info: DatasetStatsDto): string {
  const cw = info.captionWords;
  const mean =
    cw.counts.reduce((s, c, i) => s + c * (((cw.edges[i] ?? 0) + (cw.edges[i + 1] ?? 0) - 1) / 2), 0) /
    Math.max(
      1,
      cw.counts.reduce((a, b) => a + b, 0),
    );
  return [
    `dataset ${info.dataset.id}: ${info.dataset.name} (${info.dataset.format}, ${info.dataset.state})`,
    `  root        ${info.dataset.root}`,
    `  pairs       ${n(info.pairs)}`,
    `  images      ${n(info.images)}`,
    `  ok          ${n(info.ok)}`,
    `  errors      ${n(info.errorTotal)}`,
    formatErrors(info.errors),
    `  image bytes ${bytes(info.bytes)}`,
    `  vocabulary  ${n(info.vocabulary)} words, ${n(info.words)} tokens (WFPP tokenizer)`,
    `  caption     ~${mean.toFixed(1)} words on average`,
    `  width       ${info.imageWidth.edges[0] ?? '?'}–${info.imageWidth.edges.at(-1) ?? '?'} px`,
    `  height      ${info.imageHeight.edges[0] ?? '?'}–${info.imageHeight.edges.at(-1) ?? '?'} px`,
  ].join('\n');
}
