/** ELK for auto-layout, created on first use (its bundle is large and most sessions never lay out). */
import type { LayoutEngine } from '../graph/layout';

let engine: Promise<LayoutEngine> | null = null;

export function layoutEngine(): Promise<LayoutEngine> {
  engine ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const ELK = (m as unknown as { default: new () => LayoutEngine }).default;
    return new ELK();
  });
  return engine;
}
