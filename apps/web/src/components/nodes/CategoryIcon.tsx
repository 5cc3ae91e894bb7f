/** Small line icons per palette category (inline SVG: no icon font, no emoji font needed). */
import type { NodeCategory } from '@tandem/flow';

const PATHS: Record<NodeCategory, string> = {
  // a play-like arrow: where contacts enter, branch and end
  flow: 'M4 3l8 5-8 5z',
  // a speech bubble
  conversation: 'M2 3h12v8H7l-3 3v-3H2z',
  // a fork
  logic: 'M3 2v4c0 2 2 3 5 3s5 1 5 3v2M3 6c0 2 2 3 5 3',
  // a person
  human: 'M8 8a3 3 0 100-6 3 3 0 000 6zM2 14c0-3 3-5 6-5s6 2 6 5',
  // an envelope
  messaging: 'M2 4h12v8H2zM2 4l6 5 6-5',
  // a cog-like plug
  integration: 'M6 2v3M10 2v3M4 5h8v3a4 4 0 01-8 0zM8 12v2',
};

export function CategoryIcon({ category, size = 14 }: { category: NodeCategory; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable="false">
      <path d={PATHS[category]} />
    </svg>
  );
}
