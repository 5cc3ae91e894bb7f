/** Keyboard shortcuts, listed where people look for them (press ?). */
import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['Ctrl + Z', 'Undo'],
  ['Ctrl + Shift + Z  /  Ctrl + Y', 'Redo'],
  ['Ctrl + C  /  Ctrl + V', 'Copy / paste the selected steps'],
  ['Ctrl + D', 'Duplicate the selected steps'],
  ['Ctrl + A', 'Select every step'],
  ['Delete  /  Backspace', 'Remove the selected steps or connections'],
  ['Shift + drag', 'Select several steps with a box'],
  ['Ctrl + click', 'Add a step to the selection'],
  ['Ctrl + S', 'Save now (changes are also saved automatically)'],
  ['L', 'Tidy up the layout'],
  ['F', 'Fit the whole flow on screen'],
  ['/', 'Search the steps palette'],
  ['Esc', 'Clear the selection, close panels'],
  ['?', 'Show this help'],
];

export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="help-title">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">On a Mac, use ⌘ instead of Ctrl.</p>
      <button type="button" className="button" onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
