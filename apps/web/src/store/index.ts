/**
 * The app's store instances and React hooks over them. Components select narrowly (primitives or
 * shallow-compared objects), so a change re-renders only what shows it.
 */
import { useStore } from 'zustand';
import { createDesignerStore, type DesignerState } from './designer-store';
import { createSessionStore, type SessionState } from './session-store';

export const designerStore = createDesignerStore();
export const sessionStore = createSessionStore();

export function useDesigner<T>(selector: (state: DesignerState) => T): T {
  return useStore(designerStore, selector);
}

export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(sessionStore, selector);
}

export { selectors } from './designer-store';
