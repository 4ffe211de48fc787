import { useComputedColorScheme } from '@mantine/core';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type CSSProperties } from 'react';

echarts.use([
  LineChart,
  ScatterChart,
  HeatmapChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  VisualMapComponent,
  MarkLineComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export type EChartOption = echarts.EChartsCoreOption;

export interface EChartProps {
  option: EChartOption;
  style?: CSSProperties;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  ariaLabel: string;
}

/** An ECharts chart that fills its container, resizes with it, follows the colour scheme and is disposed on unmount. */
export function EChart({ option, style, ariaLabel }: EChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef(option);
  const scheme = useComputedColorScheme('light');

  useEffect(() => {
    latest.current = option;
  });

  // One chart per colour scheme: ECharts themes are fixed at init.
  useEffect(() => {
    const el = element.current;
    if (!el) return;
    let instance: echarts.ECharts | null = null;
    const ensure = () => {
      // A chart in a hidden tab has no size yet: wait until it is shown.
      if (instance || el.clientWidth === 0 || el.clientHeight === 0) return;
      instance = echarts.init(el, scheme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
      instance.setOption({ backgroundColor: 'transparent', ...latest.current });
      chart.current = instance;
    };
    ensure();
    const observer = new ResizeObserver(() => {
      ensure();
      instance?.resize();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance?.dispose();
      chart.current = null;
    };
  }, [scheme]);

  useEffect(() => {
    // Merged, so live charts animate point by point; series are replaced so removed ones go.
    chart.current?.setOption(
      { backgroundColor: 'transparent', ...option },
      { replaceMerge: ['series'], lazyUpdate: true },
    );
  }, [option]);

  return (
    <div
      ref={element}
      role="img"
      aria-label={ariaLabel}
      style={{ width: '100%', height: 300, minWidth: 0, ...style }}
    />
  );
}
