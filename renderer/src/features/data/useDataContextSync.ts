import { useEffect, useMemo } from 'react';
import { useProjectStore } from '../../app/useProjectStore';
import { imageTargets, sourceKey, tableTargets } from './dataModel';
import { useDatasetStore } from './useDatasetStore';

/**
 * Keeps the project store's data context (the dataset's input shape and class count) in step with the
 * document's data, so that shape inference checks the Input and Output blocks against the dataset.
 * Mount it wherever a project is open (the Data and Training views do).
 */
export function useDataContextSync(): void {
  const data = useProjectStore((s) => s.document?.data ?? null);
  const setDataContext = useProjectStore((s) => s.setDataContext);
  const key = sourceKey(data?.source);
  const preview = useDatasetStore((s) => (key ? s.previews[key] : undefined));
  const stored = useDatasetStore((s) => s.stored);
  const storedId = data?.source.kind === 'stored' ? data.source.id : null;
  const record = useMemo(
    () => (storedId === null ? undefined : stored?.find((d) => String(d.id) === storedId)),
    [stored, storedId],
  );

  useEffect(() => {
    if (!data) return;
    const { loadList, loadPreview } = useDatasetStore.getState();
    if (data.source.kind === 'stored' && stored === null) void loadList();
    // Stored image datasets have no table to preview (their record says their shape); of the other
    // image sources only a pixel CSV is a table.
    const table = data.format === 'images' ? data.pixelCsv !== undefined && data.source.kind !== 'stored' : true;
    if (table && (data.source.kind !== 'stored' || record?.kind === 'tabular')) void loadPreview(data.source);
  }, [data, stored, record]);

  useEffect(() => {
    if (!data) {
      setDataContext(undefined);
      return;
    }
    if (record?.kind === 'image') {
      const { height, width, channels } = record.image;
      setDataContext({ inputShape: [height, width, channels], classCount: record.classNames?.length ?? null });
      return;
    }
    if (data.format === 'images') {
      const columns = preview?.status === 'ready' ? preview.preview.info.columns : null;
      if (data.pixelCsv && preview?.status === 'loading') return;
      const targets = imageTargets(data, columns);
      setDataContext(targets ?? undefined);
      return;
    }
    if (preview?.status !== 'ready') return;
    const targets = tableTargets(data, preview.preview.info.columns);
    setDataContext(targets ? { inputShape: targets.inputShape, classCount: targets.classCount } : undefined);
  }, [data, preview, record, setDataContext]);
}
