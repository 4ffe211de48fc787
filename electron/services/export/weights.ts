import type { ModelArtifacts } from '../../../shared/api/trainer';
import { ExportError } from './errors';
import { weightedOps, type Hwc, type NetworkPlan } from './networkPlan';
import type { NamedArray } from './npz';

type Spec = ModelArtifacts['weightSpecs'][number];

/** tfjs weights by name, as float32 views into the weight data. */
export function tfjsWeights(
  artifacts: Pick<ModelArtifacts, 'weightSpecs' | 'weightData'>,
): Map<string, { spec: Spec; data: Float32Array }> {
  const out = new Map<string, { spec: Spec; data: Float32Array }>();
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = size * (spec.dtype === 'bool' ? 1 : 4);
    if (spec.dtype === 'float32')
      out.set(spec.name, {
        spec,
        data: new Float32Array(artifacts.weightData.slice(offset, offset + bytes)),
      });
    offset += bytes;
  }
  return out;
}

/** Index in PyTorch's channels-first flattening of the feature tfjs flattens (channels last) at `i`. */
function chwIndex(i: number, [h, w, c]: Hwc): number {
  const ch = i % c;
  const pixel = (i - ch) / c;
  const x = pixel % w;
  const y = (pixel - x) / w;
  return (ch * h + y) * w + x;
}

function reorder(values: Float32Array, from: Hwc | null): Float32Array {
  if (!from) return values;
  const out = new Float32Array(values.length);
  values.forEach((v, i) => (out[chwIndex(i, from)] = v));
  return out;
}

/** Which weights (by tfjs name) each script layout reads; `optional` ones are absent on weightless variants. */
const suffixes = {
  linear: [
    ['kernel', 'weight'],
    ['bias', 'bias'],
  ],
  conv: [
    ['kernel', 'weight'],
    ['bias', 'bias'],
  ],
  batchnorm: [
    ['gamma', 'weight'],
    ['beta', 'bias'],
    ['moving_mean', 'running_mean'],
    ['moving_variance', 'running_var'],
  ],
} as const;

/**
 * The trained weights in the script's layout, named as its state_dict (PyTorch: Linear [out, in],
 * Conv2d [out, in, kh, kw], a Linear after a Flatten reordered for channels-first) or as Keras names
 * them (`layer/kernel`, tfjs's own layout). Only layers present in `available` are written, so a plan
 * can take a pretrained model's weights alone.
 */
export function scriptWeights(
  plan: NetworkPlan,
  artifacts: Pick<ModelArtifacts, 'weightSpecs' | 'weightData'>,
  layout: 'pytorch' | 'keras',
  options: { partial?: boolean } = {},
): NamedArray[] {
  const weights = tfjsWeights(artifacts);
  const out: NamedArray[] = [];
  for (const { path, op } of weightedOps(plan.ops)) {
    const pairs = suffixes[op.kind].filter(([tf]) => !(tf === 'bias' && op.kind !== 'batchnorm' && !op.bias));
    const usable = op.kind !== 'batchnorm' || op.affine ? pairs : pairs.slice(2);
    const found = usable.map(([tf, torch]) => ({ torch, tf, w: weights.get(`${op.tfjs}/${tf}`) }));
    if (found.some((f) => !f.w)) {
      if (options.partial && found.every((f) => !f.w)) continue;
      const missing = found.find((f) => !f.w)!;
      throw new ExportError(
        `The trained model has no weight ${op.tfjs}/${missing.tf}: it does not match its network.`,
      );
    }
    for (const { torch, tf, w } of found) {
      const { spec, data } = w!;
      if (layout === 'keras') {
        out.push({ name: `${path.join('/')}/${tf}`, shape: [...spec.shape], data });
        continue;
      }
      const name = `${path.join('.')}.${torch}`;
      if (op.kind === 'linear' && tf === 'kernel') {
        const [inF, outF] = spec.shape as [number, number];
        const t = new Float32Array(data.length);
        for (let i = 0; i < inF; i++) {
          const ti = op.flatFrom ? chwIndex(i, op.flatFrom) : i;
          for (let o = 0; o < outF; o++) t[o * inF + ti] = data[i * outF + o]!;
        }
        out.push({ name, shape: [outF, inF], data: t });
      } else if (op.kind === 'conv' && tf === 'kernel') {
        const [kh, kw, inC, outC] = spec.shape as [number, number, number, number];
        const t = new Float32Array(data.length);
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let i = 0; i < inC; i++)
              for (let o = 0; o < outC; o++)
                t[((o * inC + i) * kh + y) * kw + x] = data[((y * kw + x) * inC + i) * outC + o]!;
        out.push({ name, shape: [outC, inC, kh, kw], data: t });
      } else if (op.kind === 'batchnorm') {
        out.push({ name, shape: [...spec.shape], data: reorder(data, op.flatFrom) });
      } else {
        out.push({ name, shape: [...spec.shape], data });
      }
    }
  }
  return out;
}
