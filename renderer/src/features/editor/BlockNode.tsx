import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { CircleAlert, Snowflake } from 'lucide-react';
import { memo } from 'react';
import { groupColor } from '../../app/theme';
import { formatCount, type BlockView } from './nodeView';

export type BlockNodeData = { view: BlockView };
export type BlockFlowNode = Node<BlockNodeData, 'block'>;

/** One block on the canvas: coloured by group, its output shape and weights live, its problem beside it. */
export const BlockNode = memo(function BlockNode({ data, selected }: NodeProps<BlockFlowNode>) {
  const v = data.view;
  const colour = v.group ? groupColor(v.group) : 'var(--mantine-color-gray-6)';
  const hasError = v.errors.length > 0;
  return (
    <div
      className="nwb-node"
      data-selected={selected || undefined}
      data-error={hasError || undefined}
      style={{ '--nwb-group': colour } as React.CSSProperties}
    >
      {v.ports.input && <Handle type="target" position={Position.Top} id="in" className="nwb-handle" />}
      <div className="nwb-node-row">
        <span className="nwb-node-kind">{v.kindLabel}</span>
        <span className="nwb-node-name">{v.name}</span>
        {v.frozen && (
          <span className="nwb-node-icon" title="Frozen: its weights are kept while training">
            <Snowflake size={14} aria-hidden />
          </span>
        )}
        {hasError && (
          <span className="nwb-node-icon nwb-node-icon-error" title={v.errors.join('\n')}>
            <CircleAlert size={15} aria-hidden />
          </span>
        )}
        <span className="nwb-node-shape" title="Output shape">
          → {v.shape ?? '?'}
        </span>
      </div>
      <div className="nwb-node-row nwb-node-details">
        <span className="nwb-node-summary">{v.summary}</span>
        <span className="nwb-node-params" title={`${formatCount(v.trainable)} trainable`}>
          {formatCount(v.params)} {v.params === 1 ? 'param' : 'params'}
        </span>
      </div>
      {v.ports.output && <Handle type="source" position={Position.Bottom} id="out" className="nwb-handle" />}
      {hasError && (
        <div className="nwb-node-error" role="note">
          {v.errors[0]}
          {v.errors.length > 1 && <span className="nwb-node-error-more"> (+{v.errors.length - 1} more)</span>}
        </div>
      )}
    </div>
  );
});
