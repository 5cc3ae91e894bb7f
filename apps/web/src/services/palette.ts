/** What the palette adds to the canvas, by click, key or drag-and-drop. */
import { designerStore } from '../store';

/** The drag payload type of palette items. */
export const PALETTE_MIME = 'application/x-tandem-node-type';

/** Palette payloads for a registered custom activity: an activity step preset to call it. */
export const ACTIVITY_PREFIX = 'activity:';

/** Adds what a palette item stands for: a node type, or a custom activity as a preset activity step. */
export function addFromPalette(payload: string, position?: { x: number; y: number }): string | null {
  const store = designerStore.getState();
  if (payload.startsWith(ACTIVITY_PREFIX)) {
    const name = payload.slice(ACTIVITY_PREFIX.length);
    const activity = store.catalog?.activities.find((a) => a.name === name);
    return store.addNodeByType('activity', position, { label: activity?.title ?? name, config: { activity: name, input: {} } });
  }
  return store.addNodeByType(payload, position);
}

