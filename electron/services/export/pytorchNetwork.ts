import type { NetworkPlan, PlanOp } from './networkPlan';

/** A Python number literal (JS prints 1e-7 and 0.5 the way Python reads them). */
export function py(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "float('-inf')";
  // 15 significant digits: 1 − 0.9 prints as 0.1, not 0.09999999999999998.
  return String(Number(value.toPrecision(15)));
}

function size2(v: readonly [number, number]): string {
  return v[0] === v[1] ? py(v[0]) : `(${py(v[0])}, ${py(v[1])})`;
}

const activationCode = (op: Extract<PlanOp, { kind: 'activation' }>): string => {
  switch (op.fn) {
    case 'relu':
      return 'nn.ReLU()';
    case 'relu6':
      return 'nn.ReLU6()';
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'softmax':
      return 'nn.Softmax(dim=1)';
    case 'elu':
      return `nn.ELU(alpha=${py(op.alpha ?? 1)})`;
    case 'selu':
      return 'nn.SELU()';
    case 'softplus':
      return 'nn.Softplus()';
    case 'softsign':
      return 'nn.Softsign()';
    case 'silu':
      return 'nn.SiLU()';
    case 'leakyRelu':
      return `nn.LeakyReLU(negative_slope=${py(op.alpha ?? 0.01)})`;
    case 'hardtanh':
      return `nn.Hardtanh(0.0, ${py(op.max ?? 1)})`;
  }
};

/** The PyTorch modules for one op, as (attribute, constructor) pairs: an uneven pad becomes its own module. */
function modules(op: PlanOp, indent: string): [string, string][] {
  switch (op.kind) {
    case 'linear':
      return [[op.name, `nn.Linear(${op.inFeatures}, ${op.units}${op.bias ? '' : ', bias=False'})`]];
    case 'conv': {
      const [t, b, l, r] = op.pad;
      const even = t === b && l === r;
      const args = [
        `${op.inChannels}, ${op.filters}`,
        `kernel_size=${size2(op.kernel)}`,
        ...(op.stride[0] !== 1 || op.stride[1] !== 1 ? [`stride=${size2(op.stride)}`] : []),
        ...(even && (t > 0 || l > 0) ? [`padding=${size2([t, l])}`] : []),
        ...(op.dilation[0] !== 1 || op.dilation[1] !== 1 ? [`dilation=${size2(op.dilation)}`] : []),
        ...(op.bias ? [] : ['bias=False']),
      ];
      const conv: [string, string] = [op.name, `nn.Conv2d(${args.join(', ')})`];
      // TensorFlow's `same` puts an odd pixel of padding after; PyTorch pads both sides alike, so pad first.
      return even ? [conv] : [[`${op.name}_pad`, `nn.ZeroPad2d((${l}, ${r}, ${t}, ${b}))`], conv];
    }
    case 'pad': {
      const [t, b, l, r] = op.pad;
      return [[op.name, `nn.ZeroPad2d((${l}, ${r}, ${t}, ${b}))`]];
    }
    case 'maxpool':
      return [[op.name, `nn.MaxPool2d(kernel_size=${size2(op.size)}, stride=${size2(op.stride)})`]];
    case 'avgpool':
      return [[op.name, `nn.AvgPool2d(kernel_size=${size2(op.size)}, stride=${size2(op.stride)})`]];
    case 'globalavg':
      return [[op.name, 'nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())']];
    case 'globalmax':
      return [[op.name, 'nn.Sequential(nn.AdaptiveMaxPool2d(1), nn.Flatten())']];
    case 'flatten':
      return [[op.name, 'nn.Flatten()']];
    case 'dropout':
      return [[op.name, `nn.Dropout(p=${py(op.rate)})`]];
    case 'batchnorm': {
      const cls = op.spatial ? 'nn.BatchNorm2d' : 'nn.BatchNorm1d';
      const affine = op.affine ? '' : ', affine=False';
      return [
        [
          op.name,
          `${cls}(${op.features}, eps=${py(op.epsilon)}, momentum=${py(1 - op.kerasMomentum)}${affine})`,
        ],
      ];
    }
    case 'activation':
      return [[op.name, activationCode(op)]];
    case 'nested': {
      const inner = indent + '    ';
      const entries = op.ops
        .flatMap((o) => modules(o, inner))
        .map(([n, code]) => `${inner}('${n}', ${code}),`);
      return [[op.name, `nn.Sequential(OrderedDict([\n${entries.join('\n')}\n${indent}]))`]];
    }
  }
}

/** The `Network` class, written as the lesson writes its models: layers in __init__, the chain in forward. */
export function torchNetworkClass(plan: NetworkPlan): string {
  const members = plan.ops.flatMap((op) => modules(op, '        '));
  const init = members.map(([name, code]) => `        self.${name} = ${code}`);
  const forward = members.map(([name]) => `        x = self.${name}(x)`);
  const input =
    plan.inputShape.length === 3
      ? `images, batch × ${plan.inputShape[2]} channels × ${plan.inputShape[0]} × ${plan.inputShape[1]} (PyTorch's channels-first)`
      : `rows of ${plan.inputShape[0]} features`;
  return `class Network(nn.Module):
    """The network of the project's blocks. Input: ${input}."""

    def __init__(self):
        super().__init__()
${init.join('\n')}

    def forward(self, x):
${forward.join('\n')}
        return x
`;
}

/** Dotted module paths whose parameters stay fixed (frozen blocks, pretrained models not fine-tuned). */
export function frozenModules(ops: readonly PlanOp[], prefix = ''): string[] {
  return ops.flatMap((op) => {
    const path = `${prefix}${op.name}`;
    if (op.kind === 'nested') return op.frozen ? [path] : frozenModules(op.ops, `${path}.`);
    if ((op.kind === 'linear' || op.kind === 'conv' || op.kind === 'batchnorm') && op.frozen) return [path];
    return [];
  });
}
